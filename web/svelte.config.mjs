// Svelte 5 understands `<script lang="ts">` by itself, so no preprocessor is configured.
export default {
  compilerOptions: { runes: true },
};
