package dev.meshpilot.observability.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

class AccessLogBufferTest {

    @Test
    void keepsOnlyTheLastLinesOldestFirst() {
        AccessLogBuffer buffer = new AccessLogBuffer(3);
        for (int i = 1; i <= 5; i++) {
            buffer.append("line " + i);
        }

        assertThat(buffer.last(10)).containsExactly("line 3", "line 4", "line 5");
        assertThat(buffer.last(2)).containsExactly("line 4", "line 5");
        assertThat(buffer.last(0)).isEmpty();
        assertThat(buffer.nextSequence()).isEqualTo(5);
    }

    @Test
    void followerReadsOnlyNewLinesSinceItsCursor() {
        AccessLogBuffer buffer = new AccessLogBuffer(10);
        buffer.append("a");
        long cursor = buffer.nextSequence();
        buffer.append("b");
        buffer.append("c");

        assertThat(buffer.since(cursor)).containsExactly("b", "c");
        assertThat(buffer.since(buffer.nextSequence())).isEmpty();
    }

    @Test
    void appendsEntriesAsJsonLines() {
        AccessLogBuffer buffer = new AccessLogBuffer(2);

        buffer.append(AccessLogFormatTest.entry("/x", null));

        assertThat(buffer.last(1)).singleElement().asString().startsWith("{\"start_time\":").contains("\"/x\"");
    }

    @Test
    void concurrentWritersLoseNoLineWithinCapacity() throws InterruptedException {
        AccessLogBuffer buffer = new AccessLogBuffer(4000);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int writer = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < 1000; i++) {
                    buffer.append(writer + ":" + i);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(buffer.last(5000)).hasSize(4000).doesNotHaveDuplicates().contains("0:999", "3:0");
    }
}
