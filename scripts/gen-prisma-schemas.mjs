// Writes prisma/<provider>/schema.prisma for each provider from the one hand-edited prisma/schema.base.prisma.
import fs from "node:fs";

const base = fs.readFileSync(new URL("../prisma/schema.base.prisma", import.meta.url), "utf8");
for (const provider of ["sqlite", "postgresql"]) {
  const dir = new URL(`../prisma/${provider}/`, import.meta.url);
  fs.mkdirSync(dir, { recursive: true });
  const out =
    "// GENERATED from prisma/schema.base.prisma by scripts/gen-prisma-schemas.mjs - do not edit\n" +
    base.replaceAll("__PROVIDER__", provider);
  fs.writeFileSync(new URL("schema.prisma", dir), out);
}
