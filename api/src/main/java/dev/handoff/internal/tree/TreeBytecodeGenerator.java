package dev.handoff.internal.tree;

import dev.handoff.internal.tree.TreeEnsemble.NodeMode;
import dev.handoff.internal.tree.TreeEnsemble.ThresholdType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Writes the classes of {@link BytecodeTrees}: each tree becomes nested {@code if}s in its own shape, thresholds and
 * leaf weights as constants, the feature read from the row array at each branch.
 *
 * <pre>{@code
 * TreeBytecodeGenerator generator = new TreeBytecodeGenerator(model);
 * if (generator.declined() == null) {
 *     List<byte[]> classes = generator.generate();   // each implements CompiledTreePart
 * }
 * }</pre>
 *
 * <h2>Shape of the code</h2>
 * A branch reads {@code x[off + feature]}, compares it with its constant and jumps to its true child; its false
 * child's code follows (the false child is the next node in the model's pre-order too). A leaf adds its value to the
 * running sum ({@code float} for a FLOAT model, {@code double} for a DOUBLE one), or its (target, weight) pairs to the
 * workspace's scores rounded as the interpreter rounds them, then jumps to the end of its tree. Consecutive trees share
 * a static method, in model order, so the sum sees the leaves in the interpreter's order.
 *
 * <h2>Sizes</h2>
 * HotSpot does not compile a method over 8,000 bytes of bytecode, and a class holds at most 65,535 constants. Every
 * node's code size is bounded from above, and {@link TreeCodeLayout} plans which subtrees get a static method of their
 * own and which trees share a method and a class, so that no method passes its budget. The actual size of every method
 * is measured as it is written ({@link #largestMethod}).
 */
final class TreeBytecodeGenerator {
    /** HotSpot's {@code HugeMethodLimit}: a longer method is never JIT-compiled. */
    static final int HUGE_METHOD = 8_000;
    /** The deepest operand stack any generated method uses: a weight's {@code scores, k, scores[k] + w} is 6 slots. */
    private static final int MAX_STACK = 6;
    /** The most local slots: an instance method's this, row, offset and a double sum. */
    private static final int MAX_LOCALS = 5;

    private static final String CLASS_NAME = "dev/handoff/internal/tree/GeneratedTrees";
    private static final String PART = Type.getInternalName(CompiledTreePart.class);

    private final TreeEnsemble model;
    private final boolean floats;
    private final boolean weights;
    private final String descriptor;
    /** Which subtrees get their own methods, and which trees go in which method and class. */
    private final TreeCodeLayout plan;
    /** Per class, per method, the trees it holds (first and end tree, exclusive). */
    private final List<List<int[]>> layout;
    private final String declined;
    /** The sub-methods already queued in the class being written. */
    private BitSet queued;
    private int methodCount;
    private int largestMethod;

    TreeBytecodeGenerator(TreeEnsemble model) {
        this.model = model;
        this.floats = model.thresholdType() == ThresholdType.FLOAT;
        this.weights = model.targetCount() > 1;
        this.descriptor = floats ? (weights ? "([FI[D[Z)V" : "([FIF)F") : (weights ? "([DI[D[Z)V" : "([DID)D");
        this.plan = new TreeCodeLayout(model);
        this.layout = plan.layout();
        this.declined = plan.declined();
    }

    /** Why this model is not compiled (a leaf or a tree too big for the limits), or null. */
    String declined() {
        return declined;
    }

    int classCount() {
        return layout.size();
    }

    /** Static methods written (after {@link #generate()}). */
    int methodCount() {
        return methodCount;
    }

    /** The longest method's bytecode, in bytes (after {@link #generate()}). */
    int largestMethod() {
        return largestMethod;
    }

    /** The classes' bytes, one per {@link #classCount()}. */
    List<byte[]> generate() {
        if (declined != null) {
            throw new IllegalStateException("declined: " + declined);
        }
        List<byte[]> out = new ArrayList<>(layout.size());
        for (List<int[]> methods : layout) {
            out.add(generateClass(methods));
        }
        return out;
    }

    private byte[] generateClass(List<int[]> methods) {
        // no COMPUTE_FRAMES: ASM would keep every method's control-flow graph with a frame per basic block until the
        // class is written (about 1 KB a node, measured); here every jump target has the same frame (the parameters,
        // an empty stack), written as it is visited (F_SAME), and the maximum stack is known (MAX_STACK)
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, CLASS_NAME, null, "java/lang/Object",
                new String[] {PART});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();

        Deque<Integer> pending = new ArrayDeque<>();
        queued = new BitSet();
        for (int m = 0; m < methods.size(); m++) {
            int[] trees = methods.get(m);
            MethodVisitor mv = begin(cw, "g" + m);
            for (int t = trees[0]; t < trees[1]; t++) {
                Label end = new Label();
                writeTree(mv, model.treeStart(t), end, pending);
                target(mv, end);
            }
            finish(mv);
        }
        while (!pending.isEmpty()) {
            int root = pending.poll();
            MethodVisitor mv = begin(cw, "s" + root);
            Label end = new Label();
            writeTree(mv, root, end, pending);
            target(mv, end);
            finish(mv);
        }

        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, weights ? "add" : "sum", descriptor, null, null);
        mv.visitCode();
        for (int m = 0; m < methods.size(); m++) {
            writeCall(mv, "g" + m, 1); // the instance method's parameters start after this
        }
        if (weights) {
            mv.visitInsn(Opcodes.RETURN);
        } else {
            mv.visitVarInsn(floats ? Opcodes.FLOAD : Opcodes.DLOAD, 3);
            mv.visitInsn(floats ? Opcodes.FRETURN : Opcodes.DRETURN);
        }
        mv.visitMaxs(MAX_STACK, MAX_LOCALS);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A jump target and its stack map frame: the same at every target of these methods (the parameters, nothing on
     * the stack), and never two at one offset (code follows every target).
     */
    private static void target(MethodVisitor mv, Label label) {
        mv.visitLabel(label);
        mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
    }

    private MethodVisitor begin(ClassWriter cw, String name) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, name, descriptor, null, null);
        mv.visitCode();
        methodCount++;
        return mv;
    }

    /** Returns the running sum (or nothing), and records the method's size. */
    private void finish(MethodVisitor mv) {
        if (weights) {
            mv.visitInsn(Opcodes.RETURN);
        } else {
            mv.visitVarInsn(floats ? Opcodes.FLOAD : Opcodes.DLOAD, 2);
            mv.visitInsn(floats ? Opcodes.FRETURN : Opcodes.DRETURN);
        }
        Label last = new Label();
        mv.visitLabel(last);
        mv.visitMaxs(MAX_STACK, MAX_LOCALS);
        mv.visitEnd();
        largestMethod = Math.max(largestMethod, last.getOffset());
        if (last.getOffset() >= HUGE_METHOD) {
            // the bounds above make this unreachable; a method HotSpot would not compile must not pass unnoticed
            throw new IllegalStateException("a generated method has " + last.getOffset() + " bytes, over " + HUGE_METHOD);
        }
    }

    /**
     * The subtree at {@code root}, depth first without recursion (a chain can be thousands of nodes deep): a branch's
     * false child follows it, its true child follows the false child's code; every leaf and call jumps to {@code end}.
     */
    private void writeTree(MethodVisitor mv, int root, Label end, Deque<Integer> pending) {
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object item = todo.pop();
            if (item instanceof Label) {
                target(mv, (Label) item);
                continue;
            }
            int i = (Integer) item;
            if (i != root && plan.cut(i)) {
                writeCall(mv, "s" + i, 0);
                if (!queued.get(i)) { // a subtree two branches share (PMML's encodings) gets one method
                    queued.set(i);
                    pending.add(i);
                }
                mv.visitJumpInsn(Opcodes.GOTO, end);
            } else if (model.isLeaf(i)) {
                writeLeaf(mv, i);
                mv.visitJumpInsn(Opcodes.GOTO, end);
            } else {
                Label yes = new Label();
                writeBranch(mv, i, yes);
                todo.push(model.trueChild(i));
                todo.push(yes);
                todo.push(i + 1);
            }
        }
    }

    /**
     * Calls static method {@code name} with the caller's own parameters (row, offset, and the running sum, which the
     * call's result replaces, or the scores and has-score arrays), which start at local {@code first}.
     */
    private void writeCall(MethodVisitor mv, String name, int first) {
        mv.visitVarInsn(Opcodes.ALOAD, first);
        mv.visitVarInsn(Opcodes.ILOAD, first + 1);
        if (weights) {
            mv.visitVarInsn(Opcodes.ALOAD, first + 2);
            mv.visitVarInsn(Opcodes.ALOAD, first + 3);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, CLASS_NAME, name, descriptor, false);
        } else {
            mv.visitVarInsn(floats ? Opcodes.FLOAD : Opcodes.DLOAD, first + 2);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, CLASS_NAME, name, descriptor, false);
            mv.visitVarInsn(floats ? Opcodes.FSTORE : Opcodes.DSTORE, first + 2);
        }
    }

    /**
     * {@code acc += value} in the threshold type (the interpreter's {@code acc += (float) value[leaf]}), or for each
     * (target, weight) pair in order {@code scores[k] = round(scores[k] + w); has[k] = true}.
     */
    private void writeLeaf(MethodVisitor mv, int leaf) {
        if (!weights) {
            if (floats) {
                mv.visitVarInsn(Opcodes.FLOAD, 2);
                mv.visitLdcInsn((float) model.value(leaf));
                mv.visitInsn(Opcodes.FADD);
                mv.visitVarInsn(Opcodes.FSTORE, 2);
            } else {
                mv.visitVarInsn(Opcodes.DLOAD, 2);
                mv.visitLdcInsn(model.value(leaf));
                mv.visitInsn(Opcodes.DADD);
                mv.visitVarInsn(Opcodes.DSTORE, 2);
            }
            return;
        }
        int from = model.weightStart(leaf);
        for (int w = from; w < from + model.weightCount(leaf); w++) {
            int k = model.weightTarget(w);
            mv.visitVarInsn(Opcodes.ALOAD, 2);
            pushInt(mv, k);
            mv.visitInsn(Opcodes.DUP2);
            mv.visitInsn(Opcodes.DALOAD);
            mv.visitLdcInsn(model.weightValue(w));
            mv.visitInsn(Opcodes.DADD);
            if (floats) {
                mv.visitInsn(Opcodes.D2F);
                mv.visitInsn(Opcodes.F2D);
            }
            mv.visitInsn(Opcodes.DASTORE);
            mv.visitVarInsn(Opcodes.ALOAD, 3);
            pushInt(mv, k);
            mv.visitInsn(Opcodes.ICONST_1);
            mv.visitInsn(Opcodes.BASTORE);
        }
    }

    /**
     * Jumps to {@code yes} when {@code x OP threshold} holds, or {@code x} is NaN and the node sends missing values to
     * its true child. {@code fcmpl} gives -1 for NaN and {@code fcmpg} +1: choosing one makes an unordered comparison
     * false (NaN fails every comparison but NEQ), or true when the node sends NaN to the true child and the threshold
     * itself is not NaN, in one compare.
     */
    private void writeBranch(MethodVisitor mv, int node, Label yes) {
        NodeMode mode = model.mode(node);
        double threshold = model.value(node);
        boolean missingTrue = model.missingTracksTrue(node) && !Double.isNaN(threshold);
        int feature = model.feature(node);
        load(mv, feature);
        if (floats) {
            mv.visitLdcInsn((float) threshold);
        } else {
            mv.visitLdcInsn(threshold);
        }
        boolean less;
        int jump;
        switch (mode) {
            case BRANCH_LEQ:
                less = missingTrue;
                jump = Opcodes.IFLE;
                break;
            case BRANCH_LT:
                less = missingTrue;
                jump = Opcodes.IFLT;
                break;
            case BRANCH_GTE:
                less = !missingTrue;
                jump = Opcodes.IFGE;
                break;
            case BRANCH_GT:
                less = !missingTrue;
                jump = Opcodes.IFGT;
                break;
            case BRANCH_EQ:
                less = true;
                jump = Opcodes.IFEQ;
                break;
            case BRANCH_NEQ:
                less = true; // NaN gives -1, not equal: taken, as NaN != threshold is true
                jump = Opcodes.IFNE;
                break;
            default:
                throw new IllegalStateException("node " + node + " has mode " + mode + ", which BytecodeTrees declines");
        }
        mv.visitInsn(floats ? (less ? Opcodes.FCMPL : Opcodes.FCMPG) : (less ? Opcodes.DCMPL : Opcodes.DCMPG));
        mv.visitJumpInsn(jump, yes);
        boolean nanCheck = model.missingTracksTrue(node) && mode != NodeMode.BRANCH_NEQ
                && (mode == NodeMode.BRANCH_EQ || Double.isNaN(threshold));
        if (nanCheck) {
            load(mv, feature);
            mv.visitInsn(floats ? Opcodes.DUP : Opcodes.DUP2);
            mv.visitInsn(floats ? Opcodes.FCMPL : Opcodes.DCMPL);
            mv.visitJumpInsn(Opcodes.IFNE, yes);
        }
    }

    /** {@code x[off + feature]}. */
    private void load(MethodVisitor mv, int feature) {
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        if (feature != 0) {
            pushInt(mv, feature);
            mv.visitInsn(Opcodes.IADD);
        }
        mv.visitInsn(floats ? Opcodes.FALOAD : Opcodes.DALOAD);
    }

    private static void pushInt(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }
}
