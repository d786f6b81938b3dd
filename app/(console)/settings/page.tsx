import { listAudit } from "@/lib/audit/audit";
import { hasScope, listTokens, listUsers } from "@/lib/auth";
import { getAppContext } from "@/lib/context/app-context";
import { AuditTable } from "../../_features/settings/audit-table";
import { TokensPanel } from "../../_features/settings/tokens-panel";
import { UsersPanel } from "../../_features/settings/users-panel";
import { requireUser } from "../../_lib/session";

export default async function SettingsPage() {
  const user = await requireUser();
  const app = getAppContext();
  if (!hasScope(user, "admin")) {
    return (
      <>
        <h1>Settings</h1>
        <p className="lead">API tokens, users and the audit log are managed by admins. Your role is {user.role}.</p>
      </>
    );
  }
  const [tokens, users, audit] = await Promise.all([listTokens(app.db), listUsers(app.db), listAudit(app.db.prisma, { limit: 50 })]);
  return (
    <>
      <h1>Settings</h1>
      <p className="lead">API tokens for SDKs, CI/CD and automation; console users; and every change made.</p>
      <TokensPanel initial={tokens} />
      <UsersPanel initial={users} currentUserId={user.id} />
      <AuditTable entries={audit} />
    </>
  );
}
