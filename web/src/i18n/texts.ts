/** One text in both languages: the shape every dictionary file of the client holds. */
export type Texts = { nl: string; en: string };
