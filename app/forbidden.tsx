import Link from "next/link";

export default function Forbidden() {
  return (
    <div data-testid="forbidden" className="mx-auto max-w-md py-24 text-center">
      <p className="text-sm font-semibold text-brand">403</p>
      <h1 className="mt-2 text-2xl font-semibold">You do not have access to this page</h1>
      <p className="mt-2 text-slate-600">Your console role does not include it. An admin can change your role.</p>
      <Link href="/dashboard" className="mt-6 inline-block text-sm font-medium text-brand hover:underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
