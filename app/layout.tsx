import type { Metadata } from "next";
import type { ReactNode } from "react";
import { FaroSetup } from "./_features/faro/faro-setup";
import "./globals.css";

export const metadata: Metadata = { title: "Tailguard", description: "SLOs and error budgets for asynchronous systems" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <FaroSetup />
      </body>
    </html>
  );
}
