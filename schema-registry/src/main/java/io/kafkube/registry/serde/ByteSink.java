package io.kafkube.registry.serde;

import java.io.OutputStream;
import java.util.Arrays;

/** An unsynchronized growable byte buffer, reused per thread by the serializer. */
final class ByteSink extends OutputStream {
  private byte[] buf = new byte[256];
  private int count;

  void reset() {
    count = 0;
    if (buf.length > 1 << 20) {
      buf = new byte[256];
    }
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  void writeInt(int v) {
    ensure(4);
    buf[count++] = (byte) (v >>> 24);
    buf[count++] = (byte) (v >>> 16);
    buf[count++] = (byte) (v >>> 8);
    buf[count++] = (byte) v;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }

  private void ensure(int n) {
    if (count + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + n));
    }
  }
}
