package dev.weft.internal;

import java.lang.module.ModuleDescriptor;

/** Weft's version, for {@code clientInfo}: the jar manifest's, else the module's, else {@code "dev"}. */
public final class Version {
    private Version() {
    }

    public static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        ModuleDescriptor module = Version.class.getModule().getDescriptor();
        if (version == null && module != null) {
            version = module.rawVersion().orElse(null);
        }
        return version == null || version.isBlank() ? "dev" : version;
    }
}
