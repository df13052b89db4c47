import { HomePage } from "./components/home-page";

// Every site renders from its own replica at request time.
export const dynamic = "force-dynamic";

export default function Page() {
  return <HomePage />;
}
