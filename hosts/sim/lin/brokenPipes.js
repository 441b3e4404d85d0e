// The SDK's Linux simulator only (see brokenPipes.c): SIGPIPE ignored, so a write to a reset peer fails instead
// of ending mcsim. A host function: the C beside this file is compiled into mc.so by mcconfig.
export default function ignoreBrokenPipes() @ "xs_ftprint_ignore_broken_pipes";
