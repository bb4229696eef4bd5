package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * parquet-java's codec factory, except that snappy pages are decompressed by snappy-java straight
 * from the stored bytes into an array of the page's size (or, through {@link PageBuffer} and {@link
 * PageArrays}, into a reused array at least that long). parquet-java decompresses heap pages
 * through Hadoop's stream classes, which allocate a buffer for every page and copy the bytes twice
 * more; snappy is the codec of most streaming writers' small files, and a merge decompresses each
 * of their pages, so this is the allocation that dominated a compaction's profile.
 *
 * <p>Not thread-safe, like the factory it wraps: one per thread. {@link #release()} releases the
 * wrapped factory.
 */
final class PageCodecs implements CompressionCodecFactory {
  private static final BytesInputDecompressor SNAPPY = new SnappyDecompressor();

  private final CodecFactory delegate;

  /**
   * @param delegate the factory for every compressor and for the decompressors of other codecs
   */
  PageCodecs(CodecFactory delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return delegate.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return codec == CompressionCodecName.SNAPPY ? SNAPPY : delegate.getDecompressor(codec);
  }

  @Override
  public void release() {
    delegate.release();
  }

  /**
   * Decompresses a page into an array that is the caller's alone: snappy pages straight into a new
   * array, other codecs through {@code decompressor} and then copied, as parquet-java's codecs
   * reuse their buffers from one page to the next.
   *
   * @param stored holds the page's {@code size} stored bytes from {@code start}
   * @param uncompressedSize the page's size once decompressed, from its header
   * @throws IOException if the bytes cannot be decompressed to that size
   */
  static byte[] decompressToArray(
      BytesInputDecompressor decompressor, byte[] stored, int start, int size, int uncompressedSize)
      throws IOException {
    BytesInput page =
        decompressor.decompress(BytesInput.from(stored, start, size), uncompressedSize);
    return decompressor instanceof SnappyDecompressor
        ? DictionaryEntries.bytesOf(page)
        : page.toByteArray();
  }

  /**
   * Snappy's raw format, as Parquet stores it: one block per page, its decompressed length first.
   * Stateless, so one instance serves every thread.
   */
  static final class SnappyDecompressor implements BytesInputDecompressor {
    /**
     * @throws IOException if the bytes are not a snappy block, or one of another decompressed size
     *     than the page header says
     */
    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      if (uncompressedSize == 0) {
        // an empty section, such as the values of an all-null V2 page, which writers store as no
        // bytes at all even when the page is marked compressed
        return BytesInput.empty();
      }
      ByteBuffer input = bytes.toByteBuffer();
      byte[] array;
      int offset;
      int length = input.remaining();
      if (input.hasArray()) {
        array = input.array();
        offset = input.arrayOffset() + input.position();
      } else {
        array = new byte[length];
        input.get(array);
        offset = 0;
      }
      byte[] output = new byte[uncompressedSize];
      decompress(array, offset, length, output, uncompressedSize);
      return BytesInput.from(output);
    }

    /**
     * Decompresses a snappy block of {@code length} bytes at {@code offset} in {@code input} into
     * {@code output} from its start.
     *
     * @param output at least {@code uncompressedSize} bytes long
     * @throws IOException if the bytes are not a snappy block of {@code uncompressedSize} bytes
     */
    static void decompress(
        byte[] input, int offset, int length, byte[] output, int uncompressedSize)
        throws IOException {
      if (uncompressedSize == 0) {
        return; // an empty section: see decompress(BytesInput, int)
      }
      // the length first: snappy writes as many bytes as the block says, whatever room there is
      checkLength(Snappy.uncompressedLength(input, offset, length), uncompressedSize);
      checkLength(Snappy.uncompress(input, offset, length, output, 0), uncompressedSize);
    }

    /**
     * Decompresses {@code compressedSize} bytes at {@code input}'s position into {@code output} at
     * its position, which it advances by {@code uncompressedSize}.
     *
     * @throws IOException as {@link #decompress(BytesInput, int)}
     */
    @Override
    public void decompress(
        ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      if (uncompressedSize == 0) {
        return;
      }
      ByteBuffer compressed = input.duplicate();
      compressed.limit(compressed.position() + compressedSize);
      byte[] decompressed = decompress(BytesInput.from(compressed), uncompressedSize).toByteArray();
      output.put(decompressed);
    }

    @Override
    public void release() {}

    private static void checkLength(int actual, int expected) throws IOException {
      if (actual != expected) {
        throw new IOException(
            "Invalid snappy page: it decompresses to "
                + actual
                + " bytes, its header says "
                + expected);
      }
    }
  }
}
