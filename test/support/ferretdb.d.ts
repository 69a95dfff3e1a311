export function buildFerretDb(): string;
export function startFerretDb(): Promise<{ url: string; stop(): void }>;
export function freePort(): Promise<number>;
