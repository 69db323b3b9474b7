/**
 * A structured scope on plain virtual threads with shut-down-on-failure semantics: {@link dev.weft.scope.TaskScope}.
 *
 * <p>The JDK's structured task scope is a preview API whose shape changed between JDK 21 and JDK 25, and preview class
 * files run only on the JDK that compiled them, so a library for Java 21+ cannot link against it. This package mirrors
 * its semantics and names (JEP 453, JEP 505) and adds what we need and it lacks: cancel hooks, for work that an
 * interrupt does not wake (a thread blocked reading a child process's pipe).
 */
package dev.weft.scope;
