// Tiny nginx configuration reader (directives and blocks) and a location matcher that follows
// nginx's documented selection order, so tests can ask "which location serves /frontend/f/x?".

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

export function parseNginx(text: string): Directive[] {
  const tokens = tokenize(text);
  let pos = 0;
  function parseBlock(): Directive[] {
    const out: Directive[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos] as string;
      if (tok === "}") {
        pos++;
        return out;
      }
      const words: string[] = [];
      while (pos < tokens.length && tokens[pos] !== ";" && tokens[pos] !== "{" && tokens[pos] !== "}") {
        words.push(tokens[pos] as string);
        pos++;
      }
      const end = tokens[pos];
      pos++;
      const [name, ...args] = words;
      if (name === undefined) throw new Error("empty directive");
      if (end === "{") out.push({ name, args, block: parseBlock() });
      else if (end === ";") out.push({ name, args });
      else throw new Error(`directive ${name} not terminated`);
    }
    return out;
  }
  return parseBlock();
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "{" || c === "}" || c === ";") {
      tokens.push(c);
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== c) {
        if (text[j] === "\\") j++;
        value += text[j];
        j++;
      }
      tokens.push(value);
      i = j + 1;
    } else {
      let j = i;
      let braces = 0; // keep regex quantifiers like \d{2} inside one token
      while (j < text.length) {
        const d = text[j] as string;
        if (d === "{" && j > i) braces++;
        else if (d === "}" && braces > 0) braces--;
        else if (/\s/.test(d) || d === ";" || d === "{" || d === "}") break;
        j++;
      }
      tokens.push(text.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

export function find(directives: Directive[], name: string): Directive[] {
  return directives.filter((d) => d.name === name);
}

export function one(directives: Directive[], name: string): Directive {
  const found = find(directives, name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0] as Directive;
}

export interface Location {
  modifier: "=" | "^~" | "~" | "~*" | "";
  pattern: string;
  body: Directive[];
}

export function locations(server: Directive): Location[] {
  return find(server.block ?? [], "location").map((d) => {
    const [first, second] = d.args;
    const hasModifier = first === "=" || first === "^~" || first === "~" || first === "~*";
    return {
      modifier: (hasModifier ? first : "") as Location["modifier"],
      pattern: (hasModifier ? second : first) ?? "",
      body: d.block ?? [],
    };
  });
}

/**
 * nginx order: exact `=` match wins; otherwise remember the longest prefix match; if it is `^~`
 * use it; otherwise the first matching regex (in file order); otherwise the longest prefix.
 */
export function matchLocation(server: Directive, uri: string): Location | undefined {
  const all = locations(server);
  const exact = all.find((l) => l.modifier === "=" && l.pattern === uri);
  if (exact) return exact;
  const prefixes = all
    .filter((l) => (l.modifier === "" || l.modifier === "^~") && uri.startsWith(l.pattern))
    .sort((a, b) => b.pattern.length - a.pattern.length);
  const longest = prefixes[0];
  if (longest?.modifier === "^~") return longest;
  const regex = all.find(
    (l) =>
      (l.modifier === "~" || l.modifier === "~*") &&
      new RegExp(l.pattern, l.modifier === "~*" ? "i" : "").test(uri),
  );
  return regex ?? longest;
}
