"use client";
import { useState, type FormEvent } from "react";
import type { UserView } from "@/lib/auth/browser";
import { apiCall } from "../../_components/api-client";

export function UsersPanel({ initial, currentUserId }: { initial: UserView[]; currentUserId: string }) {
  const [users, setUsers] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const f = new FormData(formEl);
    setError(null);
    const r = await apiCall("createUser", { body: { email: String(f.get("email") ?? ""), name: String(f.get("name") ?? ""), role: f.get("role") as UserView["role"], password: String(f.get("password") ?? "") } });
    if (!r.ok) return setError(r.message);
    setUsers([...users, r.data.user]);
    formEl.reset();
  }

  async function patch(u: UserView, change: { role?: UserView["role"]; disabled?: boolean }) {
    setError(null);
    const r = await apiCall("updateUser", { params: { id: u.id }, body: change });
    if (!r.ok) return setError(r.message);
    setUsers(users.map((x) => (x.id === u.id ? r.data.user : x)));
  }

  return (
    <section className="panel" aria-labelledby="users-h">
      <h2 id="users-h" style={{ marginTop: 0 }}>Users</h2>
      <form onSubmit={create} className="row" aria-label="Add user">
        <label>Email<input name="email" type="email" required /></label>
        <label>Name<input name="name" required /></label>
        <label>Role
          <select name="role" defaultValue="viewer">
            <option value="viewer">viewer</option><option value="editor">editor</option><option value="admin">admin</option>
          </select>
        </label>
        <label>Initial password<input name="password" type="password" minLength={12} required /></label>
        <button type="submit">Add user</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <table style={{ marginTop: 16 }}>
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Last login</th><th>Status</th><th /></tr></thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.name}</td>
              <td>{u.email}</td>
              <td>
                <select aria-label={`Role of ${u.email}`} value={u.role} disabled={u.id === currentUserId} onChange={(e) => patch(u, { role: e.target.value as UserView["role"] })}>
                  <option value="viewer">viewer</option><option value="editor">editor</option><option value="admin">admin</option>
                </select>
              </td>
              <td>{u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString() : "never"}</td>
              <td>{u.disabled ? <span className="badge bad">disabled</span> : <span className="badge ok">active</span>}</td>
              <td>{u.id !== currentUserId && <button onClick={() => patch(u, { disabled: !u.disabled })}>{u.disabled ? "Enable" : "Disable"}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
