/**
 * Weft's JFR events, all named {@code weft.*}: calls and served requests, connections' ends, the pool's sessions and
 * waits, callback queue latency, and ACP prompt turns. Enabled in every recording by default (none has a threshold);
 * when no recording wants an event, emitting it costs a check the JIT folds away. Read them with
 * {@code jfr print --events 'weft.*' recording.jfr}.
 */
package dev.weft.internal.jfr;
