/**
 * The {@code baler} command line: picocli commands, JSON and table output, progress on stderr, exit
 * codes. The only module that prints, and the only one that picks a logging binding (logback, to
 * stderr).
 */
package dev.baler.cli;
