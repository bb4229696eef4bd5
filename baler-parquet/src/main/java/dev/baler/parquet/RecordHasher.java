package dev.baler.parquet;

import java.nio.ByteBuffer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Hashes the records that pass through it, call by call, and passes every call on to a delegate, if
 * any. A record gives the same hash when it is written and when it is read back and replayed
 * through parquet-java's {@code GroupWriter}, because both make the same calls: fields in order,
 * absent ones left out. The sums of the records' hashes are order-independent, as in {@link
 * RowFingerprint}. Not thread-safe.
 */
final class RecordHasher extends RecordConsumer {
  private static final long START_MESSAGE = 1;
  private static final long START_FIELD = 2;
  private static final long END_FIELD = 3;
  private static final long START_GROUP = 4;
  private static final long END_GROUP = 5;
  private static final long INTEGER = 6;
  private static final long LONG = 7;
  private static final long BOOLEAN = 8;
  private static final long BINARY = 9;
  private static final long FLOAT = 10;
  private static final long DOUBLE = 11;

  private final RecordConsumer delegate;
  private final Hashing.Bytes bytes = new Hashing.Bytes();
  private long lane1;
  private long lane2;
  private long records;
  private long sum1;
  private long sum2;

  /**
   * @param delegate where calls go on to, or null to only hash
   */
  RecordHasher(RecordConsumer delegate) {
    this.delegate = delegate;
  }

  /** The records hashed so far, as a fingerprint: their count and the sums of their hashes. */
  RowFingerprint fingerprint() {
    return new RowFingerprint(records, sum1, sum2);
  }

  private void fold(long tag, long value) {
    lane1 = Hashing.mix(lane1 ^ (value + tag * Hashing.LANE1));
    lane2 = Hashing.mix(lane2 + (value ^ tag * Hashing.LANE2));
  }

  @Override
  public void startMessage() {
    lane1 = Hashing.LANE1;
    lane2 = Hashing.LANE2;
    fold(START_MESSAGE, 0);
    if (delegate != null) {
      delegate.startMessage();
    }
  }

  @Override
  public void endMessage() {
    records++;
    sum1 += Hashing.mix(lane1);
    sum2 += Hashing.mix(lane2);
    if (delegate != null) {
      delegate.endMessage();
    }
  }

  @Override
  public void startField(String field, int index) {
    fold(START_FIELD, index);
    if (delegate != null) {
      delegate.startField(field, index);
    }
  }

  @Override
  public void endField(String field, int index) {
    fold(END_FIELD, index);
    if (delegate != null) {
      delegate.endField(field, index);
    }
  }

  @Override
  public void startGroup() {
    fold(START_GROUP, 0);
    if (delegate != null) {
      delegate.startGroup();
    }
  }

  @Override
  public void endGroup() {
    fold(END_GROUP, 0);
    if (delegate != null) {
      delegate.endGroup();
    }
  }

  @Override
  public void addInteger(int value) {
    fold(INTEGER, value);
    if (delegate != null) {
      delegate.addInteger(value);
    }
  }

  @Override
  public void addLong(long value) {
    fold(LONG, value);
    if (delegate != null) {
      delegate.addLong(value);
    }
  }

  @Override
  public void addBoolean(boolean value) {
    fold(BOOLEAN, value ? 1 : 0);
    if (delegate != null) {
      delegate.addBoolean(value);
    }
  }

  @Override
  public void addBinary(Binary value) {
    ByteBuffer buffer = value.toByteBuffer();
    bytes.hash(buffer);
    fold(BINARY, bytes.lane1);
    fold(BINARY, bytes.lane2);
    if (delegate != null) {
      delegate.addBinary(value);
    }
  }

  @Override
  public void addFloat(float value) {
    fold(FLOAT, Float.floatToRawIntBits(value));
    if (delegate != null) {
      delegate.addFloat(value);
    }
  }

  @Override
  public void addDouble(double value) {
    fold(DOUBLE, Double.doubleToRawLongBits(value));
    if (delegate != null) {
      delegate.addDouble(value);
    }
  }

  @Override
  public void flush() {
    if (delegate != null) {
      delegate.flush();
    }
  }
}
