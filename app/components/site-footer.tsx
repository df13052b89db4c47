import Link from "next/link";

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="shell site-footer-inner">
        <span>groupshot · several servers keep a full copy each; a montage is public only when every contributor accepts.</span>
        <Link href="/status">Site status</Link>
      </div>
    </footer>
  );
}
