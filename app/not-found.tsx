import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-md py-24 text-center">
      <p className="text-sm font-semibold text-brand">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
      <Link href="/dashboard" className="mt-6 inline-block text-sm font-medium text-brand hover:underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
