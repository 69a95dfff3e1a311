export function buildFerretDb(): string;
export function startFerretDb(options?: { backend?: "auto" | "postgresql" | "sqlite" }): Promise<{
  url: string;
  backend: "postgresql" | "sqlite";
  stop(): Promise<void>;
}>;
export function freePort(): Promise<number>;
