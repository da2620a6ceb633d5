export default function Home() {
  return <main>Signet SolidStart fixture</main>;
}
