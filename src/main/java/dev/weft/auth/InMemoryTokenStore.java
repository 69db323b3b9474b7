package dev.weft.auth;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TokenStore#inMemory()}: two concurrent maps. Thread-safe; never blocks. */
final class InMemoryTokenStore implements TokenStore {
    private final ConcurrentHashMap<URI, Tokens> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Registration> registrations = new ConcurrentHashMap<>();

    @Override
    public Optional<Tokens> tokens(URI server) {
        return Optional.ofNullable(tokens.get(Objects.requireNonNull(server, "server")));
    }

    @Override
    public void saveTokens(URI server, Tokens saved) {
        tokens.put(Objects.requireNonNull(server, "server"), Objects.requireNonNull(saved, "tokens"));
    }

    @Override
    public void removeTokens(URI server) {
        tokens.remove(Objects.requireNonNull(server, "server"));
    }

    @Override
    public Optional<Registration> registration(String issuer) {
        return Optional.ofNullable(registrations.get(Objects.requireNonNull(issuer, "issuer")));
    }

    @Override
    public void saveRegistration(String issuer, Registration registration) {
        registrations.put(Objects.requireNonNull(issuer, "issuer"),
                Objects.requireNonNull(registration, "registration"));
    }

    @Override
    public void removeRegistration(String issuer) {
        registrations.remove(Objects.requireNonNull(issuer, "issuer"));
    }

    @Override
    public String toString() {
        return "TokenStore.inMemory[" + tokens.size() + " server(s), " + registrations.size() + " registration(s)]";
    }
}
