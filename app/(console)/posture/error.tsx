"use client";
// A failed first paint (the database is unreachable, a query failed): say so and offer a retry, leak nothing.
import { ErrorState } from "@/components/ui/states";

export default function PageError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorState error={new Error("the server could not read this page's data; try again")} onRetry={reset} />;
}
