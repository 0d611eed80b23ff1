package dev.mlpipe.v2;

import java.io.OutputStream;
import java.util.Arrays;

/** A growing byte array to write a body into: {@link java.io.ByteArrayOutputStream} without its locks. */
final class Buffer extends OutputStream {

    private byte[] bytes;
    private int size;

    Buffer(int capacity) {
        bytes = new byte[capacity];
    }

    @Override
    public void write(int value) {
        room(1);
        bytes[size++] = (byte) value;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        room(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void room(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(Math.addExact(size, more), bytes.length * 2));
        }
    }
}
