package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.transport.TTransportException;

class ArrayTransportTest {
  @Test
  void readString_ofALengthBeyondTheBytes_isRefusedBeforeAllocating() throws Exception {
    // a compact-protocol string of 50,000,000 bytes (varint length), of which 3 are there
    byte[] bytes = {(byte) 0x80, (byte) 0xE1, (byte) 0xEB, (byte) 0x17, 'a', 'b', 'c'};
    TCompactProtocol protocol = new TCompactProtocol(new ArrayTransport(bytes, 0, bytes.length));

    assertThatThrownBy(protocol::readString)
        .isInstanceOf(TTransportException.class)
        .hasMessage("50000000 bytes asked for, 3 left");
  }

  @Test
  void read_takesTheBytesBetweenPositionAndEnd() throws Exception {
    byte[] bytes = {9, 1, 2, 3, 9};
    ArrayTransport transport = new ArrayTransport(bytes, 1, 4);
    byte[] read = new byte[5];

    assertThat(transport.read(read, 0, 5)).isEqualTo(3);
    assertThat(read).startsWith(1, 2, 3);
    assertThat(transport.getBytesRemainingInBuffer()).isZero();
    assertThatThrownBy(() -> transport.read(read, 0, 1))
        .isInstanceOf(TTransportException.class)
        .hasMessage("Thrift structure cut short");
  }
}
