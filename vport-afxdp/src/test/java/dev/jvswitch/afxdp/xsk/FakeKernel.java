package dev.jvswitch.afxdp.xsk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The kernel's side of a socket's four rings, over plain memory: the tests play the kernel, write
 * what it would write (good descriptors and bad ones) and read what user space handed over.
 * Layout of each ring: producer at 0, consumer at 64, flags at 128, descriptors from 192.
 */
final class FakeKernel {
    static final int PRODUCER = 0;
    static final int CONSUMER = 64;
    static final int FLAGS = 128;
    static final int DESC = 192;

    /** One ring's memory and the kernel's cursor in it. */
    static final class Ring {
        final ByteBuffer memory;
        final UnsafeBuffer buffer;
        final int size;
        final int descBytes;

        Ring(int size, int descBytes) {
            this.size = size;
            this.descBytes = descBytes;
            this.memory = ByteBuffer.allocateDirect(DESC + size * descBytes).order(ByteOrder.nativeOrder());
            this.buffer = new UnsafeBuffer(memory);
        }

        long address() {
            return buffer.addressOffset();
        }

        long bytes() {
            return buffer.capacity();
        }

        int producer() {
            return buffer.getIntVolatile(PRODUCER);
        }

        int consumer() {
            return buffer.getIntVolatile(CONSUMER);
        }

        int at(int index) {
            return DESC + (index & (size - 1)) * descBytes;
        }
    }

    final Ring fill;
    final Ring rx;
    final Ring tx;
    final Ring completion;

    FakeKernel(int rxEntries, int txEntries) {
        fill = new Ring(rxEntries, 8);
        rx = new Ring(rxEntries, 16);
        tx = new Ring(txEntries, 16);
        completion = new Ring(txEntries, 8);
    }

    ProducerRing fillRing() {
        return ProducerRing.fill(fill.address(), fill.bytes(), PRODUCER, CONSUMER, FLAGS, DESC, fill.size);
    }

    ConsumerRing rxRing() {
        return ConsumerRing.rx(rx.address(), rx.bytes(), PRODUCER, CONSUMER, FLAGS, DESC, rx.size);
    }

    ProducerRing txRing() {
        return ProducerRing.tx(tx.address(), tx.bytes(), PRODUCER, CONSUMER, FLAGS, DESC, tx.size);
    }

    ConsumerRing completionRing() {
        return ConsumerRing.completion(completion.address(), completion.bytes(), PRODUCER, CONSUMER, FLAGS, DESC,
                completion.size);
    }

    /** Takes the next address user space put in the fill ring, or -1 if there is none. */
    long takeFill() {
        int c = fill.consumer();
        if (c == fill.producer()) {
            return -1;
        }
        long address = fill.buffer.getLong(fill.at(c));
        fill.buffer.putIntRelease(CONSUMER, c + 1);
        return address;
    }

    /** Writes an rx descriptor, whatever it says, and publishes it. */
    void deliver(long address, int length, int options) {
        int p = rx.producer();
        int at = rx.at(p);
        rx.buffer.putLong(at, address);
        rx.buffer.putInt(at + 8, length);
        rx.buffer.putInt(at + 12, options);
        rx.buffer.putIntRelease(PRODUCER, p + 1);
    }

    /** Takes the next tx descriptor user space queued: {address, length}, or null. */
    long[] takeTx() {
        int c = tx.consumer();
        if (c == tx.producer()) {
            return null;
        }
        int at = tx.at(c);
        long[] d = {tx.buffer.getLong(at), tx.buffer.getInt(at + 8)};
        tx.buffer.putIntRelease(CONSUMER, c + 1);
        return d;
    }

    /** Writes a completion, whatever address it carries. */
    void complete(long address) {
        int p = completion.producer();
        completion.buffer.putLong(completion.at(p), address);
        completion.buffer.putIntRelease(PRODUCER, p + 1);
    }
}
