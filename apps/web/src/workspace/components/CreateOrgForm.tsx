import { type ReactNode, useState } from "react";
import { api, type Organization, type OrganizationBody } from "../api";
import { useAction } from "../hooks/useAction";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { useSession } from "../session";
import { FormError, TextField } from "./fields";

/**
 * Names and creates an organization, then opens its forms: the first one after sign-up, or another
 * one from the header's switcher.
 */
export function CreateOrgForm({
  className,
  children,
  onCreated,
  replace = false,
}: {
  className: string;
  /** A heading and introduction above the name. */
  children?: ReactNode;
  /** Runs before the new organization opens (close a dialog). */
  onCreated?: () => void;
  /** Replace the history entry (a first run has nothing to go back to). */
  replace?: boolean;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [name, setName] = useState("");
  const creating = useAction();
  return (
    <form
      className={className}
      onSubmit={async (e) => {
        e.preventDefault();
        const org = await creating.run(async () => {
          const created = await api<Organization>("/orgs", { body: { name } satisfies OrganizationBody });
          await session.refresh();
          return created;
        });
        if (!org) return;
        onCreated?.();
        navigate({ name: "forms", orgId: org.id }, { replace });
      }}
    >
      {children}
      <TextField
        label={t("org.name")}
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        maxLength={100}
      />
      <FormError error={creating.error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={creating.busy}>
          {t("org.create")}
        </button>
      </div>
    </form>
  );
}
