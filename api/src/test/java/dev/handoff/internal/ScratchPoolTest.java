package dev.handoff.internal;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScratchPoolTest {

    @Test
    void aThreadGetsItsOwnScratchBackOnItsNextCall() {
        AtomicInteger made = new AtomicInteger();
        ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[] {made.incrementAndGet()});
        int[] first = pool.take();
        pool.give(first);
        assertSame(first, pool.take());
        assertEquals(1, made.get());
    }

    @Test
    void callsInFlightAtTheSameTimeNeverShareAScratch() throws Exception {
        ScratchPool<Object> pool = new ScratchPool<>(Object::new);
        int threads = 8;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier allHolding = new CyclicBarrier(threads);
            Set<Object> held = ConcurrentHashMap.newKeySet();
            Future<?>[] calls = new Future<?>[threads];
            for (int t = 0; t < threads; t++) {
                calls[t] = executor.submit(() -> {
                    for (int round = 0; round < 200; round++) {
                        Object s = pool.take();
                        assertTrue(held.add(s), "a scratch handed to two calls at once");
                        allHolding.await(10, TimeUnit.SECONDS); // every thread holds one now
                        held.remove(s);
                        pool.give(s);
                        allHolding.await(10, TimeUnit.SECONDS);
                    }
                    return null;
                });
            }
            for (Future<?> call : calls) {
                call.get(60, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void clearDropsTheKeptScratchOfEveryThread() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ScratchPool<int[]> pool = new ScratchPool<>(() -> new int[] {made.incrementAndGet()});
        CountDownLatch given = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            pool.give(pool.take());
            given.countDown();
        });
        other.start();
        assertTrue(given.await(10, TimeUnit.SECONDS));
        other.join();
        int[] mine = pool.take();
        pool.give(mine);
        pool.clear();
        int[] after = pool.take();
        assertNotSame(mine, after);
        assertEquals(3, made.get()); // the other thread's, mine, and a new one after clear
    }
}
