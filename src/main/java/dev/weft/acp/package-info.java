/**
 * An Agent Client Protocol (ACP v1) client: drives a coding agent started as a subprocess over stdio, with its
 * session updates delivered on the prompting thread, permission requests answered there, and the host's files and
 * terminals served inside a root the host chooses.
 */
package dev.weft.acp;
