/**
 * Helpers shared by Weft's packages and not part of its API: {@code module-info} does not export this package.
 */
package dev.weft.internal;
