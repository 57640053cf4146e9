import type { Level, Locale } from "@coleta/monitoring";

// The board's own words (component names and messages come from the API in the chosen language).
export interface Strings {
  title: string;
  language: string;
  level: Record<Level, string>;
  overall: Record<Level, string>;
  affected: string;
  whoToCall: string;
  noOneToCall: string;
  runbook: string;
  since: string;
  updated: string;
  stale: string;
  staleHint: string;
  loading: string;
  unauthorized: string;
  off: string;
  failed: string;
  timeline: string;
  timelineEmpty: string;
  localView: string;
  components: string;
  refreshNote: string;
}

export const STRINGS: Record<Locale, Strings> = {
  en: {
    title: "Coleta status",
    language: "Language",
    level: { ok: "Working", degraded: "Problems", down: "Down" },
    overall: {
      ok: "Everything is working.",
      degraded: "Some things are slow or failing.",
      down: "Something is not working.",
    },
    affected: "Affected",
    whoToCall: "Who to call",
    noOneToCall: "Nobody needs to be called.",
    runbook: "What to do",
    since: "since",
    updated: "Updated",
    stale: "This board could not be refreshed.",
    staleHint: "It shows the last data received. Check the network; if it lasts, call the platform team.",
    loading: "Loading the status…",
    unauthorized: "This status board needs its access link (with ?token=). Ask the platform team for it.",
    off: "The status board is turned off on this installation.",
    failed: "The status could not be loaded. Trying again…",
    timeline: "Changes in the last 24 hours",
    timelineEmpty: "No changes in the last 24 hours.",
    localView: "Counts from one server only while the cache is unreachable.",
    components: "Components",
    refreshNote: "Refreshes by itself every 15 seconds.",
  },
  "pt-BR": {
    title: "Status do Coleta",
    language: "Idioma",
    level: { ok: "Funcionando", degraded: "Com problemas", down: "Fora do ar" },
    overall: {
      ok: "Tudo está funcionando.",
      degraded: "Algumas coisas estão lentas ou falhando.",
      down: "Algo não está funcionando.",
    },
    affected: "Afetados",
    whoToCall: "Quem acionar",
    noOneToCall: "Ninguém precisa ser acionado.",
    runbook: "O que fazer",
    since: "desde",
    updated: "Atualizado",
    stale: "Este painel não conseguiu se atualizar.",
    staleHint:
      "Ele mostra os últimos dados recebidos. Verifique a rede; se continuar, acione o time de plataforma.",
    loading: "Carregando o status…",
    unauthorized: "Este painel precisa do link de acesso (com ?token=). Peça ao time de plataforma.",
    off: "O painel de status está desligado nesta instalação.",
    failed: "Não foi possível carregar o status. Tentando de novo…",
    timeline: "Mudanças nas últimas 24 horas",
    timelineEmpty: "Nenhuma mudança nas últimas 24 horas.",
    localView: "Números de um servidor só enquanto o cache está fora do ar.",
    components: "Componentes",
    refreshNote: "Atualiza sozinho a cada 15 segundos.",
  },
};
