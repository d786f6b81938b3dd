import { api, route } from "@/lib/api";

export const GET = route(api.me, async ({ actor, app }) => {
  if (actor.type === "user") {
    const user = await app.db.prisma.user.findUniqueOrThrow({ where: { id: actor.id } });
    return { type: "user" as const, id: actor.id, name: actor.name, email: user.email, role: actor.role, scopes: [...actor.scopes] };
  }
  return { type: "token" as const, id: actor.type === "token" ? actor.id : "system", name: actor.name, email: null, role: null, scopes: [...actor.scopes] };
});
