package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.protocol.TField;
import shaded.parquet.org.apache.thrift.protocol.TList;
import shaded.parquet.org.apache.thrift.protocol.TMap;
import shaded.parquet.org.apache.thrift.protocol.TSet;
import shaded.parquet.org.apache.thrift.protocol.TStruct;
import shaded.parquet.org.apache.thrift.transport.TMemoryBuffer;

class CompactProtocolReaderTest {
  private static final TStruct STRUCT = new TStruct("s");

  /** Thrift's own type ids (its TType, which parquet-java's shaded Thrift leaves out). */
  private static final class TType {
    static final byte BOOL = 2;
    static final byte BYTE = 3;
    static final byte DOUBLE = 4;
    static final byte I16 = 6;
    static final byte I32 = 8;
    static final byte I64 = 10;
    static final byte STRING = 11;
    static final byte STRUCT = 12;
    static final byte MAP = 13;
    static final byte SET = 14;
    static final byte LIST = 15;
  }

  /**
   * A structure written by Thrift's own compact protocol with a field of every type: booleans both
   * ways, long and short field id gaps, negative integers, lists of booleans and of more than 14
   * elements, an empty and a full map, a set, nested structures; then a trailing byte.
   */
  private static byte[] everyType() throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(256);
    TCompactProtocol out = new TCompactProtocol(buffer);
    out.writeStructBegin(STRUCT);
    field(out, TType.BOOL, 1);
    out.writeBool(true);
    field(out, TType.BOOL, 2);
    out.writeBool(false);
    field(out, TType.BYTE, 3);
    out.writeByte((byte) -7);
    field(out, TType.I16, 4);
    out.writeI16((short) -300);
    field(out, TType.I32, 40); // a gap over 15: the id follows the header
    out.writeI32(Integer.MIN_VALUE);
    field(out, TType.I64, 41);
    out.writeI64(Long.MAX_VALUE);
    field(out, TType.DOUBLE, 42);
    out.writeDouble(-1.5);
    field(out, TType.STRING, 43);
    out.writeBinary(ByteBuffer.wrap("stream".getBytes(StandardCharsets.UTF_8)));
    field(out, TType.LIST, 44);
    out.writeListBegin(new TList(TType.BOOL, 3));
    out.writeBool(true);
    out.writeBool(false);
    out.writeBool(true);
    out.writeListEnd();
    field(out, TType.LIST, 45);
    out.writeListBegin(new TList(TType.I64, 20)); // past 14 elements: the size follows the header
    for (int i = 0; i < 20; i++) {
      out.writeI64(-i * 1_000_000_007L);
    }
    out.writeListEnd();
    field(out, TType.MAP, 46);
    out.writeMapBegin(new TMap(TType.STRING, TType.I32, 0));
    out.writeMapEnd();
    field(out, TType.MAP, 47);
    out.writeMapBegin(new TMap(TType.STRING, TType.STRUCT, 2));
    for (String key : new String[] {"a", "b"}) {
      out.writeString(key);
      out.writeStructBegin(STRUCT);
      field(out, TType.BOOL, 1);
      out.writeBool(false);
      out.writeFieldStop();
      out.writeStructEnd();
    }
    out.writeMapEnd();
    field(out, TType.SET, 48);
    out.writeSetBegin(new TSet(TType.DOUBLE, 2));
    out.writeDouble(1);
    out.writeDouble(2);
    out.writeSetEnd();
    field(out, TType.STRUCT, 49);
    out.writeStructBegin(STRUCT);
    field(out, TType.LIST, 3);
    out.writeListBegin(new TList(TType.STRUCT, 1));
    out.writeStructBegin(STRUCT);
    out.writeFieldStop();
    out.writeStructEnd();
    out.writeListEnd();
    out.writeFieldStop();
    out.writeStructEnd();
    field(out, TType.I32, 2); // back to a smaller id: written with the id after the header
    out.writeI32(5);
    out.writeFieldStop();
    out.writeStructEnd();
    out.writeByte((byte) 99);
    return Arrays.copyOf(buffer.getArray(), buffer.length());
  }

  private static void field(TCompactProtocol out, byte type, int id) throws TException {
    out.writeFieldBegin(new TField("f", type, (short) id));
  }

  @Test
  void skip_stepsOverAStructureOfEveryTypeToItsEnd() throws TException {
    byte[] bytes = everyType();
    CompactProtocolReader reader = new CompactProtocolReader(bytes, 0, bytes.length);

    reader.skip(CompactProtocolReader.STRUCT);

    assertThat(reader.position()).isEqualTo(bytes.length - 1);
  }

  @Test
  void readFieldHeader_givesIdsAndTypesAsThriftWroteThem() throws TException {
    byte[] bytes = everyType();
    CompactProtocolReader reader = new CompactProtocolReader(bytes, 0, bytes.length);
    StringBuilder fields = new StringBuilder();
    int id = 0;
    int type;
    while ((type = reader.readFieldHeader(id)) != CompactProtocolReader.STOP) {
      id = reader.fieldId();
      fields.append(id).append(':').append(type).append(' ');
      if (id == 4 || id == 40 || id == 41) {
        fields.append('=').append(reader.readInteger()).append(' ');
      } else if (id == 43) {
        fields.append(reader.readBinaryEquals("stream".getBytes(StandardCharsets.UTF_8)));
        fields.append(' ');
      } else if (id == 45) {
        fields.append('[').append(reader.readListHeader()).append(' ');
        fields.append(reader.elementType()).append("] ");
        for (int i = 0; i < 20; i++) {
          reader.skip(reader.elementType());
        }
      } else {
        reader.skip(type);
      }
    }

    assertThat(fields.toString())
        .isEqualTo(
            "1:1 2:2 3:3 4:4 =-300 40:5 =-2147483648 41:6 =9223372036854775807 42:7 43:8 true"
                + " 44:9 45:9 [20 6] 46:11 47:11 48:10 49:12 2:5 ");
  }

  @Test
  void readFieldHeader_keepsIdsToShortsAsThriftDoes() {
    // long form: type I64, id 65539 as a zigzag varint (131078): Thrift's readI16 makes it 3
    byte[] longForm = {0x06, (byte) 0x86, (byte) 0x80, 0x08};
    CompactProtocolReader reader = new CompactProtocolReader(longForm, 0, longForm.length);
    assertThat(reader.readFieldHeader(0)).isEqualTo(CompactProtocolReader.I64);
    assertThat(reader.fieldId()).isEqualTo(3);

    // short form: a delta of 1 after id 32767 wraps to -32768, as Thrift's short last id does
    byte[] delta = {0x16};
    reader = new CompactProtocolReader(delta, 0, delta.length);
    reader.readFieldHeader(Short.MAX_VALUE);
    assertThat(reader.fieldId()).isEqualTo(Short.MIN_VALUE);

    // an id varint past 32 bits, which Thrift folds its own way, is refused
    byte[] wide = {0x06, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10};
    assertThatThrownBy(() -> new CompactProtocolReader(wide, 0, wide.length).readFieldHeader(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readInt_refusesAValueBeyondAnInt() throws TException {
    TMemoryBuffer buffer = new TMemoryBuffer(16);
    new TCompactProtocol(buffer).writeI64(1L << 40);
    byte[] bytes = Arrays.copyOf(buffer.getArray(), buffer.length());

    assertThatThrownBy(() -> new CompactProtocolReader(bytes, 0, bytes.length).readInt())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not an i32");
  }

  @Test
  void skip_refusesEveryTruncationWithAnIllegalArgument() throws TException {
    byte[] bytes = everyType();
    for (int end = 0; end < bytes.length - 1; end++) {
      CompactProtocolReader reader = new CompactProtocolReader(bytes, 0, end);

      assertThatThrownBy(() -> reader.skip(CompactProtocolReader.STRUCT))
          .as("cut at %d", end)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void skip_endsOrRefusesOnRandomBytes() {
    // whatever the bytes, a walk stops within them: no loop, no read past the end, no other error
    Random random = new Random(7);
    for (int trial = 0; trial < 20_000; trial++) {
      byte[] bytes = new byte[1 + random.nextInt(64)];
      random.nextBytes(bytes);
      CompactProtocolReader reader = new CompactProtocolReader(bytes, 0, bytes.length);
      try {
        reader.skip(CompactProtocolReader.STRUCT);
        assertThat(reader.position()).isBetween(1, bytes.length);
      } catch (IllegalArgumentException refused) {
        // refused: bytes that end early, an unknown type, a size past the end, nesting too deep
      }
    }
  }

  @Test
  void skip_endsWhereThriftsOwnSkipEnds() throws TException {
    // structures of random fields, written by Thrift (booleans, numbers, binaries, lists, maps,
    // nested structures, short and long id gaps), skipped by Thrift's TProtocolUtil and by ours
    Random random = new Random(11);
    for (int trial = 0; trial < 2_000; trial++) {
      TMemoryBuffer buffer = new TMemoryBuffer(256);
      TCompactProtocol out = new TCompactProtocol(buffer);
      writeRandomStruct(out, random, 0);
      byte[] bytes = Arrays.copyOf(buffer.getArray(), buffer.length());
      ArrayTransport transport = new ArrayTransport(bytes, 0, bytes.length);
      shaded.parquet.org.apache.thrift.protocol.TProtocolUtil.skip(
          new TCompactProtocol(transport), TType.STRUCT);

      CompactProtocolReader reader = new CompactProtocolReader(bytes, 0, bytes.length);
      reader.skip(CompactProtocolReader.STRUCT);

      assertThat(reader.position()).as("trial %d", trial).isEqualTo(bytes.length);
      assertThat(transport.getBufferPosition()).as("trial %d", trial).isEqualTo(bytes.length);
    }
  }

  private static void writeRandomStruct(TCompactProtocol out, Random random, int depth)
      throws TException {
    out.writeStructBegin(STRUCT);
    int id = 0;
    for (int fields = random.nextInt(6); fields > 0; fields--) {
      id += random.nextInt(4) == 0 ? 16 + random.nextInt(300) : 1 + random.nextInt(3);
      byte type = randomType(random, depth);
      out.writeFieldBegin(new TField("f", type, (short) id));
      writeRandomValue(out, random, type, depth);
    }
    out.writeFieldStop();
    out.writeStructEnd();
  }

  private static byte randomType(Random random, int depth) {
    byte[] flat = {
      TType.BOOL, TType.BYTE, TType.I16, TType.I32, TType.I64, TType.DOUBLE, TType.STRING
    };
    byte[] nested = {TType.LIST, TType.SET, TType.MAP, TType.STRUCT};
    return depth < 3 && random.nextInt(3) == 0
        ? nested[random.nextInt(nested.length)]
        : flat[random.nextInt(flat.length)];
  }

  private static void writeRandomValue(TCompactProtocol out, Random random, byte type, int depth)
      throws TException {
    switch (type) {
      case TType.BOOL -> out.writeBool(random.nextBoolean());
      case TType.BYTE -> out.writeByte((byte) random.nextInt());
      case TType.I16 -> out.writeI16((short) random.nextInt());
      case TType.I32 -> out.writeI32(random.nextInt());
      case TType.I64 -> out.writeI64(random.nextLong());
      case TType.DOUBLE -> out.writeDouble(random.nextDouble());
      case TType.STRING -> {
        byte[] bytes = new byte[random.nextInt(20)];
        random.nextBytes(bytes);
        out.writeBinary(ByteBuffer.wrap(bytes));
      }
      case TType.LIST, TType.SET -> {
        byte elements = randomType(random, depth + 1);
        int size = random.nextInt(random.nextInt(4) == 0 ? 30 : 4);
        if (type == TType.LIST) {
          out.writeListBegin(new TList(elements, size));
        } else {
          out.writeSetBegin(new TSet(elements, size));
        }
        for (int i = 0; i < size; i++) {
          writeRandomValue(out, random, elements, depth + 1);
        }
      }
      case TType.MAP -> {
        byte keys = randomType(random, depth + 1);
        byte values = randomType(random, depth + 1);
        int size = random.nextInt(4);
        out.writeMapBegin(new TMap(keys, values, size));
        for (int i = 0; i < size; i++) {
          writeRandomValue(out, random, keys, depth + 1);
          writeRandomValue(out, random, values, depth + 1);
        }
      }
      default -> writeRandomStruct(out, random, depth + 1);
    }
  }

  @Test
  void skip_refusesNestingDeeperThanTheLimit() {
    // a list of lists of lists ...: each level one byte, 0x19 (one element of type LIST)
    byte[] bytes = new byte[CompactProtocolReader.MAX_DEPTH + 10];
    Arrays.fill(bytes, (byte) 0x19);
    CompactProtocolReader reader = new CompactProtocolReader(bytes, 0, bytes.length);

    assertThatThrownBy(() -> reader.skip(CompactProtocolReader.LIST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper");
  }
}
