export function buildFerretDb(): string;
export function startFerretDb(options?: { backend?: "auto" | "postgresql" | "sqlite" }): Promise<{
  url: string;
  backend: "postgresql" | "sqlite";
  database: string | null;
  postgresUrl: string | null;
  stop(): Promise<void>;
}>;
export function freePort(): Promise<number>;
