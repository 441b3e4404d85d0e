// ftprint/brokenPipes (manifest, lin only): a host function in brokenPipes.c.
declare function ignoreBrokenPipes(): void;
export default ignoreBrokenPipes;
