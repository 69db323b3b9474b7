package dev.weft.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * Generators of JSON-shaped Java values for property tests: nested maps with string keys (in insertion order), lists,
 * strings of any code points, integers, longs, finite doubles, big numbers, booleans and {@code null}s.
 */
public final class JsonValues {
    private static final String[] KEYS = {"a", "text", "n", "list", "_meta", "k\u00e9y", "\"q\"", "line\nbreak", ""};

    private JsonValues() {
    }

    /** Plain values nested up to {@code depth} levels; {@code withBigNumbers} adds {@link BigInteger}s and {@link BigDecimal}s. */
    public static Gen<Object> values(int depth, boolean withBigNumbers) {
        return in -> value(in, depth, withBigNumbers);
    }

    /** Maps of plain values nested up to {@code depth} levels. */
    @SuppressWarnings("unchecked")
    public static Gen<Map<String, Object>> objects(int depth, boolean withBigNumbers) {
        return in -> (Map<String, Object>) container(in, 0, depth, withBigNumbers);
    }

    private static Object value(RandomnessSource in, int depth, boolean big) {
        int kind = (int) in.next(Constraint.between(0, depth > 0 ? 10 : 8));
        return switch (kind) {
            case 0 -> null;
            case 1 -> in.next(Constraint.between(0, 1)) == 1;
            case 2 -> (int) in.next(Constraint.between(Integer.MIN_VALUE, Integer.MAX_VALUE));
            case 3 -> in.next(Constraint.none());
            case 4 -> finiteDouble(in);
            case 5, 6 -> string(in);
            case 7 -> big ? BigInteger.valueOf(in.next(Constraint.none())).shiftLeft(70) : string(in);
            case 8 -> big ? new BigDecimal(BigInteger.valueOf(in.next(Constraint.none())), 7) : string(in);
            default -> container(in, kind - 9, depth - 1, big);
        };
    }

    private static Object container(RandomnessSource in, int which, int depth, boolean big) {
        int size = (int) in.next(Constraint.between(0, 5));
        if (which == 0) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                map.put(KEYS[(int) in.next(Constraint.between(0, KEYS.length - 1))] + i, value(in, depth, big));
            }
            return map;
        }
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            list.add(value(in, depth, big));
        }
        return list;
    }

    private static double finiteDouble(RandomnessSource in) {
        double d = Double.longBitsToDouble(in.next(Constraint.none()));
        return Double.isFinite(d) ? d : in.next(Constraint.between(-1_000_000, 1_000_000)) / 64.0;
    }

    private static String string(RandomnessSource in) {
        int length = (int) in.next(Constraint.between(0, 12));
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int cp = (int) in.next(Constraint.between(0, 0x10FFFF));
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                cp = 'x'; // lone surrogates are not text
            }
            s.appendCodePoint(cp);
        }
        return s.toString();
    }
}
