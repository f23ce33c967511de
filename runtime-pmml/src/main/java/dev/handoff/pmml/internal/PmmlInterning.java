package dev.handoff.pmml.internal;

import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElements;
import jakarta.xml.bind.annotation.XmlList;
import org.dmg.pmml.MiningField;
import org.dmg.pmml.PMML;
import org.dmg.pmml.PMMLObject;
import org.dmg.pmml.Predicate;
import org.dmg.pmml.ScoreDistribution;
import org.dmg.pmml.Visitor;
import org.dmg.pmml.VisitorAction;
import org.jpmml.evaluator.visitors.ModelEvaluatorVisitorBattery;
import org.jpmml.model.ReflectionUtil;
import org.jpmml.model.annotations.CollectionElementType;
import org.jpmml.model.visitors.AbstractVisitor;
import org.jpmml.model.visitors.DoubleInterner;
import org.jpmml.model.visitors.FloatInterner;
import org.jpmml.model.visitors.IntegerInterner;
import org.jpmml.model.visitors.MiningFieldInterner;
import org.jpmml.model.visitors.PredicateInterner;
import org.jpmml.model.visitors.ScoreDistributionInterner;
import org.jpmml.model.visitors.StringInterner;
import org.jpmml.model.visitors.VisitorBattery;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

/**
 * JPMML-Evaluator's {@link ModelEvaluatorVisitorBattery} with its seven interners done in one traversal instead of
 * seven. The battery runs each interner as a full walk of the class model that reads every field of every object by
 * reflection (about a millisecond each on a 100-tree ensemble); this walk reads, per object, only the fields an
 * interner would touch (a plan cached per class) and hands each value to the interner of its type.
 *
 * <p>The result is JPMML's own: the values go to the same interner instances' {@code intern} methods, so to the same
 * pools (the JVM's strings, JPMML's process-wide number caches, its per-thread element caches shared by every
 * document loaded on the thread), with the same deep equality; the fields visited are the ones JPMML's attribute
 * and element interners visit (every {@code @XmlAttribute}/{@code @XmlList} and {@code @XmlElement}/{@code
 * @XmlElements} field, lists included, that can hold the interned type); the walk is JPMML's own pre-order
 * traversal, so an element replaced by its pooled equal is never entered, as under the battery. Running the seven
 * kinds together instead of one after another gives the same class model: every value kind is disjoint from the
 * others, and an element that the battery's later passes would drop is equal, field for field, to the pooled one
 * that replaces it, so interning its attributes first changes nothing that stays. The optimizers before the
 * interners and the finalizers after them run as the battery runs them. Should a JPMML release change the battery's
 * composition, the battery runs unchanged.
 *
 * <p>Within a document, each distinct string and element is handed to JPMML once: a repeat (the same string, or an
 * element {@link PmmlElementKey} finds equal, which JPMML's deep equality holds equal too) gets the answer its first
 * occurrence got, which is what JPMML's pool would answer for it, without the pool's reflective hashing.
 */
final class PmmlInterning extends AbstractVisitor {
    /** The battery's interners, in its order, that this walk replaces. */
    private static final List<Class<? extends Visitor>> INTERNERS = List.of(StringInterner.class, IntegerInterner.class,
            FloatInterner.class, DoubleInterner.class, MiningFieldInterner.class, PredicateInterner.class,
            ScoreDistributionInterner.class);
    private static final VisitorBattery BATTERY = new ModelEvaluatorVisitorBattery(false);
    /** The battery before and after its interners (used only when {@link #KNOWN}). */
    private static final VisitorBattery BEFORE;
    private static final VisitorBattery AFTER;
    /** Whether the battery is the one this class knows: its seven interners, together, nowhere else. */
    private static final boolean KNOWN;

    static {
        int first = BATTERY.indexOf(INTERNERS.get(0));
        boolean known = first >= 0 && first + INTERNERS.size() <= BATTERY.size()
                && BATTERY.subList(first, first + INTERNERS.size()).equals(INTERNERS);
        if (known) {
            BEFORE = battery(BATTERY.subList(0, first));
            AFTER = battery(BATTERY.subList(first + INTERNERS.size(), BATTERY.size()));
            known = BEFORE.stream().noneMatch(INTERNERS::contains) && AFTER.stream().noneMatch(INTERNERS::contains);
        } else {
            BEFORE = null;
            AFTER = null;
        }
        KNOWN = known;
    }

    private static final int STRING = 1;
    private static final int INTEGER = 2;
    private static final int FLOAT = 4;
    private static final int DOUBLE = 8;
    private static final int MINING_FIELD = 16;
    private static final int PREDICATE = 32;
    private static final int SCORE_DISTRIBUTION = 64;
    /** Every interning kind. */
    static final int ALL = 127;
    /** The kinds, by the name of the battery's interner that does each, for tests. */
    static final Map<String, Integer> KINDS = Map.of("StringInterner", STRING,
            "IntegerInterner", INTEGER, "FloatInterner", FLOAT, "DoubleInterner", DOUBLE,
            "MiningFieldInterner", MINING_FIELD, "PredicateInterner", PREDICATE,
            "ScoreDistributionInterner", SCORE_DISTRIBUTION);

    /** Per class, the fields some interner visits; an empty array for most classes. */
    private static final ClassValue<Slot[]> PLANS = new ClassValue<>() {
        @Override
        protected Slot[] computeValue(Class<?> type) {
            return plan(type);
        }
    };

    private final StringInterner strings = new StringInterner();
    private final IntegerInterner integers = new IntegerInterner();
    private final FloatInterner floats = new FloatInterner();
    private final DoubleInterner doubles = new DoubleInterner();
    private final MiningFieldInterner miningFields = new MiningFieldInterner();
    private final PredicateInterner predicates = new PredicateInterner();
    private final ScoreDistributionInterner scoreDistributions = new ScoreDistributionInterner();

    /** The strings of this document met so far, each with what {@code String.intern} gave for it. */
    private final HashMap<String, String> metStrings = new HashMap<>();
    /** The elements of this document met so far, each with what JPMML's element cache gave for it. */
    private final HashMap<PmmlElementKey, PMMLObject> metElements = new HashMap<>();
    /** The kinds this walk does: all of them, except in tests that check what leaving one out changes. */
    private final int enabled;

    private PmmlInterning(int enabled) {
        this.enabled = enabled;
    }

    /** What {@code new ModelEvaluatorVisitorBattery(false).applyTo(pmml)} does, with the interning in one walk. */
    static void applyBattery(PMML pmml) {
        if (!KNOWN) {
            BATTERY.applyTo(pmml);
            return;
        }
        applyBattery(pmml, ALL);
    }

    /** The battery with only these interning kinds (bits of {@link #KINDS}): tests check what leaving one out changes. */
    static void applyBattery(PMML pmml, int kinds) {
        BEFORE.applyTo(pmml);
        new PmmlInterning(kinds).applyTo(pmml);
        AFTER.applyTo(pmml);
    }

    /** Whether this JPMML's battery is the one this class splits (else {@link #applyBattery} runs it unchanged). */
    static boolean splitsBattery() {
        return KNOWN;
    }

    @Override
    public VisitorAction visit(PMMLObject object) {
        for (Slot slot : PLANS.get(object.getClass())) {
            if ((slot.kinds & enabled) == 0) {
                continue;
            }
            if (slot.list) {
                internList(slot, object);
            } else {
                internField(slot, object);
            }
        }
        return VisitorAction.CONTINUE;
    }

    private void internField(Slot slot, PMMLObject object) {
        Object value = get(slot.field, object);
        if (value == null) {
            return;
        }
        Object interned = intern(slot.kinds, value);
        if (interned != value) {
            set(slot.field, object, interned);
        }
    }

    @SuppressWarnings("unchecked")
    private void internList(Slot slot, PMMLObject object) {
        List<Object> values = (List<Object>) get(slot.field, object);
        if (values == null || values.isEmpty()) {
            return;
        }
        for (ListIterator<Object> it = values.listIterator(); it.hasNext(); ) {
            Object value = it.next();
            if (value != null) {
                Object interned = intern(slot.kinds, value);
                if (interned != value) {
                    it.set(interned);
                }
            }
        }
    }

    /** The value as the interner of its type returns it, where the slot is visited by that interner. */
    private Object intern(int slotKinds, Object value) {
        int kinds = slotKinds & enabled;
        Class<?> type = value.getClass();
        if (type == String.class) {
            return (kinds & STRING) != 0 ? internString((String) value) : value;
        }
        if (type == Double.class) {
            return (kinds & DOUBLE) != 0 ? doubles.intern((Double) value) : value;
        }
        if (type == Integer.class) {
            return (kinds & INTEGER) != 0 ? integers.intern((Integer) value) : value;
        }
        if (type == Float.class) {
            return (kinds & FLOAT) != 0 ? floats.intern((Float) value) : value;
        }
        if ((kinds & (PREDICATE | SCORE_DISTRIBUTION | MINING_FIELD)) != 0 && value instanceof PMMLObject element) {
            return internElement(kinds, element);
        }
        return value;
    }

    /** {@code String.intern}, asked once per distinct string of the document (equal strings intern alike). */
    private String internString(String value) {
        String interned = metStrings.get(value);
        if (interned == null) {
            interned = strings.intern(value);
            metStrings.put(interned, interned);
        }
        return interned;
    }

    /**
     * The element as JPMML's element interner of its type returns it; asked once per distinct element of the
     * document (by {@link PmmlElementKey}, which only finds elements JPMML's cache deems equal, and the cache answers
     * equal elements alike).
     */
    private Object internElement(int kinds, PMMLObject element) {
        int kind = element instanceof Predicate ? PREDICATE : element instanceof ScoreDistribution ? SCORE_DISTRIBUTION
                : element instanceof MiningField ? MINING_FIELD : 0;
        if ((kinds & kind) == 0) {
            return element;
        }
        PmmlElementKey key = PmmlElementKey.of(element);
        PMMLObject interned = metElements.get(key);
        if (interned == null) {
            interned = switch (kind) {
                case PREDICATE -> predicates.intern((Predicate) element);
                case SCORE_DISTRIBUTION -> scoreDistributions.intern((ScoreDistribution) element);
                default -> miningFields.intern((MiningField) element);
            };
            metElements.put(key, interned);
        }
        return interned;
    }

    /**
     * The fields JPMML's interners visit on an object of this class: attribute interners every field annotated
     * {@code @XmlAttribute} or {@code @XmlList}, element interners every field annotated {@code @XmlElement} or
     * {@code @XmlElements}, each where the field's type (a list's element type) can hold the interned type.
     */
    private static Slot[] plan(Class<?> type) {
        if (!PMMLObject.class.isAssignableFrom(type)) {
            return new Slot[0];
        }
        List<Slot> slots = new ArrayList<>();
        for (Field field : ReflectionUtil.getFields(type)) {
            boolean attribute = field.isAnnotationPresent(XmlAttribute.class) || field.isAnnotationPresent(XmlList.class);
            boolean element = field.isAnnotationPresent(XmlElement.class) || field.isAnnotationPresent(XmlElements.class);
            if (!attribute && !element) {
                continue;
            }
            boolean list = List.class.equals(field.getType());
            Class<?> holds = field.getType();
            if (list) {
                CollectionElementType elementType = field.getAnnotation(CollectionElementType.class);
                if (elementType == null) {
                    throw new IllegalArgumentException(field + " is a list without @CollectionElementType");
                }
                holds = elementType.value();
            }
            int kinds = 0;
            if (attribute) {
                kinds |= holds.isAssignableFrom(String.class) ? STRING : 0;
                kinds |= holds.isAssignableFrom(Integer.class) ? INTEGER : 0;
                kinds |= holds.isAssignableFrom(Float.class) ? FLOAT : 0;
                kinds |= holds.isAssignableFrom(Double.class) ? DOUBLE : 0;
            }
            if (element) {
                kinds |= holds.isAssignableFrom(MiningField.class) ? MINING_FIELD : 0;
                kinds |= holds.isAssignableFrom(Predicate.class) ? PREDICATE : 0;
                kinds |= holds.isAssignableFrom(ScoreDistribution.class) ? SCORE_DISTRIBUTION : 0;
            }
            if (kinds != 0) {
                field.setAccessible(true);
                slots.add(new Slot(field, list, kinds));
            }
        }
        return slots.toArray(new Slot[0]);
    }

    private static VisitorBattery battery(List<Class<? extends Visitor>> visitors) {
        VisitorBattery battery = new VisitorBattery();
        battery.addAll(visitors);
        return battery;
    }

    private static Object get(Field field, Object object) {
        try {
            return field.get(object);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Field field, Object object, Object value) {
        try {
            field.set(object, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One field some interner visits, and which interners ({@link #STRING} ... as bits). */
    private record Slot(Field field, boolean list, int kinds) {
    }
}
