"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/api-client";
import { formatDateTime } from "@/components/format";
import { queries } from "@/components/queries";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmMutation } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field, Textarea } from "@/components/ui/field";
import { EmptyState } from "@/components/ui/states";
import type { AgentDetailView, PublicKeyView } from "@/lib/agents/agent-view";
import { Card } from "@/components/ui/card";
import { DataTable, FormError } from "@/components/ui/data-table";

export function PublicKeys({ agent, canWrite }: { agent: AgentDetailView; canWrite: boolean }) {
  const qc = useQueryClient();
  const invalidate = () => qc.invalidateQueries({ queryKey: queries.agentsAll().queryKey });
  const [adding, setAdding] = useState(false);
  const [jwkText, setJwkText] = useState("");
  const [parseError, setParseError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<PublicKeyView | null>(null);

  const add = useMutation({
    mutationFn: (jwk: unknown) => apiFetch<PublicKeyView>(`/agents/${agent.id}/keys`, { method: "POST", body: { jwk } }),
    onSuccess: () => {
      closeAdd();
      return invalidate();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiFetch<PublicKeyView>(`/agents/${agent.id}/keys/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      return invalidate();
    },
  });
  function closeAdd() {
    setAdding(false);
    setJwkText("");
    setParseError(null);
    add.reset();
  }

  return (
    <Card
      title="Public keys (private_key_jwt)"
      testId="public-keys"
      actions={
        canWrite && agent.status !== "killed" ? (
          <Button variant="secondary" size="sm" onClick={() => setAdding(true)}>
            Add public key
          </Button>
        ) : null
      }
    >
      {agent.publicKeys.length === 0 ? (
        <div className="p-4">
          <EmptyState title="No public keys">An agent can sign its token requests with a key pair instead of sending a secret (RFC 7523).</EmptyState>
        </div>
      ) : (
        <DataTable columns={["Key", "Algorithm", "Status", "Added", ""]} testId="public-keys-table">
          {agent.publicKeys.map((k) => (
            <tr key={k.id} data-testid={`public-key-row-${k.kid ?? k.id}`}>
              <td className="px-4 py-2">
                <div className="font-medium">{k.kid ?? "(no kid)"}</div>
                <div className="font-mono text-xs text-slate-400" title="RFC 7638 thumbprint">
                  {k.thumbprint}
                </div>
              </td>
              <td className="px-4 py-2 font-mono">{k.alg}</td>
              <td className="px-4 py-2">
                <Badge tone={k.revokedAt ? "red" : "green"}>{k.revokedAt ? "revoked" : "active"}</Badge>
              </td>
              <td className="px-4 py-2 text-slate-500">{formatDateTime(k.createdAt)}</td>
              <td className="px-4 py-2 text-right">
                {canWrite && !k.revokedAt ? (
                  <Button variant="ghost" size="sm" aria-label={`Revoke key ${k.kid ?? k.thumbprint}`} onClick={() => setRevoking(k)}>
                    Revoke
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}

      <Dialog open={adding} onClose={closeAdd} title="Add public key">
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            let jwk: unknown;
            try {
              jwk = JSON.parse(jwkText);
            } catch {
              setParseError("This is not valid JSON");
              return;
            }
            setParseError(null);
            add.mutate(jwk);
          }}
        >
          <Field label="Public JWK" hint="JSON of an EC P-256 (ES256), Ed25519 (EdDSA) or RSA 2048+ bit (RS256) public key. Never paste a private key.">
            <Textarea
              name="jwk"
              rows={8}
              required
              spellCheck={false}
              className="font-mono text-xs"
              placeholder='{"kty":"EC","crv":"P-256","x":"…","y":"…","kid":"…"}'
              value={jwkText}
              onChange={(e) => setJwkText(e.target.value)}
            />
          </Field>
          <FormError>{parseError ?? add.error?.message}</FormError>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={closeAdd}>
              Cancel
            </Button>
            <Button type="submit" disabled={add.isPending}>
              Add key
            </Button>
          </div>
        </form>
      </Dialog>

      <ConfirmMutation
        target={revoking}
        mutation={revoke}
        title={`Revoke key ${revoking?.kid ?? ""}?`}
        body="Client assertions signed with this key are refused from now on. This cannot be undone; the same key cannot be registered again for this agent."
        confirmLabel="Revoke key"
        onClose={() => setRevoking(null)}
      />
    </Card>
  );
}
