export default function HomePage() {
  return (
    <main>
      <h1>groupshot</h1>
    </main>
  );
}
