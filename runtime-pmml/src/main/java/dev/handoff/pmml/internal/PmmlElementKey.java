package dev.handoff.pmml.internal;

import org.dmg.pmml.PMMLObject;
import org.jpmml.model.ReflectionUtil;

import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * A class model element by its class and the values of its fields, for {@link PmmlInterning} to find the elements
 * of a document it has already handed to JPMML's element caches without asking the caches again (they hash and
 * compare an element by reflection, getter by getter, which is most of the interning's cost).
 *
 * <p>Two keys are equal only where JPMML's deep equality ({@code ReflectionUtil.equals}) surely holds too: the same
 * class, and every field (lists element by element) either the same instance or an equal value of a JDK value type
 * (string, boxed primitive, big number), as JPMML compares those with {@code equals}. An element-valued field is
 * compared by identity, which is stricter than JPMML's deep equality, as are the fields JPMML skips (locator, fields
 * without getters) and an empty list against none. Stricter only ever means asking JPMML's cache, never a different
 * answer. The values are copied when the key is made: the walk later replaces an element's children with their
 * interned equals, which changes no value.
 */
final class PmmlElementKey {
    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            Field[] fields = ReflectionUtil.getFields(type).toArray(new Field[0]);
            for (Field field : fields) {
                field.setAccessible(true);
            }
            return fields;
        }
    };

    private final Class<?> type;
    private final Object[] values;
    private final int hash;

    private PmmlElementKey(Class<?> type, Object[] values) {
        this.type = type;
        this.values = values;
        this.hash = 31 * type.hashCode() + hash(values);
    }

    static PmmlElementKey of(PMMLObject element) {
        Field[] fields = FIELDS.get(element.getClass());
        Object[] values = new Object[fields.length];
        for (int i = 0; i < fields.length; i++) {
            Object value = read(fields[i], element);
            values[i] = value instanceof List<?> list ? list.toArray() : value;
        }
        return new PmmlElementKey(element.getClass(), values);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PmmlElementKey that && hash == that.hash && type == that.type && same(values, that.values);
    }

    private static boolean same(Object[] a, Object[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!same(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null || a.getClass() != b.getClass()) {
            return false;
        }
        if (a instanceof Object[] listA) {
            return same(listA, (Object[]) b);
        }
        return isValue(a) && a.equals(b);
    }

    private static int hash(Object[] values) {
        int h = values.length;
        for (Object value : values) {
            h = 31 * h + hash(value);
        }
        return h;
    }

    private static int hash(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Object[] list) {
            return hash(list);
        }
        return isValue(value) ? value.hashCode() : System.identityHashCode(value);
    }

    /** JDK value types, compared by {@code equals} (as JPMML compares them); everything else by identity. */
    private static boolean isValue(Object value) {
        Class<?> type = value.getClass();
        return type == String.class || type == Double.class || type == Integer.class || type == Float.class
                || type == Long.class || type == Boolean.class || type == Short.class || type == Byte.class
                || type == Character.class || type == BigInteger.class || type == BigDecimal.class;
    }

    private static Object read(Field field, Object object) {
        try {
            return field.get(object);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return type.getSimpleName() + Arrays.deepToString(values);
    }
}
