package dev.baler.parquet;

import static java.util.Objects.requireNonNull;

import dev.baler.storage.InputFile;
import dev.baler.storage.SeekableInputStream;
import java.io.IOException;

/**
 * A stream over an input file that serves reads within one span of the file, its window, from
 * memory. The merge loads the span of the row groups it is about to read, once, so that
 * parquet-java's reads of some of their column chunks and the merge's reads of the others are
 * served from one read: one request on S3, one system call on disk, however the chunks are split.
 * Reads outside the window go to the file, unless the window holds the whole file ({@link
 * #loadWhole}) and the file was closed then: reads past its end find the end. A stream made from an
 * {@link InputFile} can also close its file while keeping its window ({@link #closeFile}), and
 * opens it again for the next read the window does not serve: a merge that holds thousands of
 * inputs across column groups keeps within the process's open file limit that way.
 *
 * <p>A window is cut from a {@link WindowArena} when the stream has one and the arena has room, and
 * is an array of its own otherwise. Not thread-safe.
 */
final class WindowedStream extends SeekableInputStream {
  private final InputFile source; // to open the file again after closeFile; null if it cannot be
  private SeekableInputStream file; // null after closeFile, until the next read of the file
  private final WindowArena arena;
  private long position;
  // The window: windowLength bytes of the file from windowStart, at windowOffset in window.
  private byte[] window;
  private int windowOffset;
  private int windowLength;
  private long windowStart;
  private boolean whole;
  private boolean fileClosed; // by loadWhole: reads outside the window find the end
  private boolean narrowed; // by keepOnly: the window no longer holds the whole file
  private boolean closed; // by close: reads of the file fail

  /** A stream whose windows are arrays of their own. */
  WindowedStream(SeekableInputStream file) {
    this(file, null);
  }

  /**
   * @param arena where windows are cut from while it has room; null for arrays of their own
   */
  WindowedStream(SeekableInputStream file, WindowArena arena) {
    this.source = null;
    this.file = requireNonNull(file, "file is null");
    this.arena = arena;
  }

  /**
   * A stream over {@code source}, opened now, which {@link #closeFile} may close and later reads
   * open again.
   *
   * @param arena where windows are cut from while it has room; null for arrays of their own
   * @throws IOException if the file cannot be opened
   */
  WindowedStream(InputFile source, WindowArena arena) throws IOException {
    this.source = requireNonNull(source, "source is null");
    this.file = source.newStream();
    this.arena = arena;
  }

  /**
   * Closes the file and keeps the window: reads the window serves go on, and the next read it does
   * not serve opens the file again. Does nothing when the file is closed already.
   *
   * @throws IllegalStateException if the stream was not made from an {@link InputFile}
   */
  void closeFile() throws IOException {
    if (source == null) {
      throw new IllegalStateException("A stream not made from an InputFile cannot open it again");
    }
    if (file != null && !fileClosed) {
      SeekableInputStream closing = file;
      file = null;
      closing.close();
    }
  }

  /**
   * Whether the file is open now: not closed by {@link #closeFile}, {@link #loadWhole} or close.
   */
  boolean fileOpen() {
    return file != null && !fileClosed;
  }

  /** The file, opened again if {@link #closeFile} closed it. */
  private SeekableInputStream file() throws IOException {
    if (closed || fileClosed) {
      throw new IOException("The stream is closed");
    }
    if (file == null) {
      file = source.newStream();
    }
    return file;
  }

  /**
   * Makes the window cover {@code start} to {@code end} (exclusive), together with what it covers
   * already when that is adjacent or overlapping; reads the new span from the file.
   */
  void include(long start, long end) throws IOException {
    if (covers(start, end)) {
      return;
    }
    if (window != null && start <= windowStart + windowLength && end >= windowStart) {
      start = Math.min(start, windowStart);
      end = Math.max(end, windowStart + windowLength);
    }
    int length = Math.toIntExact(end - start);
    SeekableInputStream from = file(); // opened first: a failure then takes nothing from the arena
    int offset = arena == null ? -1 : arena.take(length);
    byte[] bytes = offset < 0 ? new byte[length] : arena.memory();
    offset = Math.max(offset, 0);
    from.seek(start);
    from.readFully(bytes, offset, length);
    setWindow(bytes, offset, length, start);
  }

  private void setWindow(byte[] bytes, int offset, int length, long start) {
    window = bytes;
    windowOffset = offset;
    windowLength = length;
    windowStart = start;
  }

  /**
   * Reads the whole file, {@code length} bytes, into a window of its own, which then stays until
   * the stream closes, and closes the file: every later read is served from memory, and reads past
   * the window find the end. On S3 that also frees the copy of a small object that its stream
   * keeps. Once the footer is read from it, {@link #keepOnly} keeps the part still needed.
   *
   * @throws java.io.EOFException if the file is shorter
   */
  void loadWhole(long length) throws IOException {
    loadWhole(length, false);
  }

  /**
   * Reads the whole file, {@code length} bytes, into a window of its own, as {@link
   * #loadWhole(long)} does, and keeps the file open if {@code keepFileOpen}: then reads outside the
   * window go to the file, and once {@link #keepOnly} has narrowed the window, {@link #dropWindow}
   * and {@link #include} may replace it, so that the file's parts are read one after another.
   *
   * @throws java.io.EOFException if the file is shorter
   */
  void loadWhole(long length, boolean keepFileOpen) throws IOException {
    loadWhole(length, keepFileOpen, null);
  }

  /**
   * Reads the whole file as {@link #loadWhole(long, boolean)} does, into {@code scratch}'s array if
   * it is not null: the window must then be narrowed ({@link #keepOnly}), which moves what is kept
   * out of that array, before the thread reads another file into it.
   *
   * @throws java.io.EOFException if the file is shorter
   */
  void loadWhole(long length, boolean keepFileOpen, Scratch scratch) throws IOException {
    int fileLength = Math.toIntExact(length);
    byte[] bytes = scratch == null ? new byte[fileLength] : scratch.take(this, fileLength);
    SeekableInputStream from = file();
    from.seek(0);
    from.readFully(bytes, 0, fileLength);
    setWindow(bytes, 0, fileLength, 0);
    whole = true;
    if (!keepFileOpen) {
      fileClosed = true;
      file = null;
      from.close();
    }
  }

  /**
   * The whole file as {@link #loadWhole} read it, from the array's start, {@link #windowBytes()}
   * bytes of it (a thread's scratch array may be longer); null once {@link #keepOnly} has narrowed
   * the window, or if the file was not read whole. The array is the window itself: not to be
   * changed.
   */
  byte[] wholeFile() {
    return whole && !narrowed ? window : null;
  }

  /**
   * An array that one thread reads files whole into, one after another ({@link #loadWhole(long,
   * boolean, Scratch)}), grown as a file needs: the merge keeps only the column data of such a
   * file, moved out of it, so one array serves every file its opening thread reads, where an array
   * per file made 214 of the 1,036 MB a run of the plain data set allocated. A file read into it
   * while another's window is still there is refused: rows hashed and written from a window
   * overwritten by another file would pass verification, as both would be the other file's. Not
   * thread-safe.
   */
  static final class Scratch {
    private byte[] bytes = new byte[0];
    private WindowedStream holder; // the stream last given the array

    /**
     * The array, at least {@code length} bytes long, for {@code stream}'s window.
     *
     * @throws AssertionError if another stream's window is still in it: neither narrowed ({@link
     *     #keepOnly}) nor closed. A bug, not a damaged file: an error, so that the merge fails
     *     rather than skip a file it would take for unreadable
     */
    byte[] take(WindowedStream stream, int length) {
      if (holder != null && holder != stream && holder.window == bytes) {
        throw new AssertionError(
            "A file's window is still in this thread's scratch array: it must be narrowed or its"
                + " stream closed before another file is read into it");
      }
      if (bytes.length < length) {
        bytes = new byte[length];
      }
      holder = stream;
      return bytes;
    }
  }

  /**
   * Narrows the window of a file read whole ({@link #loadWhole}) to {@code start} to {@code end}
   * (exclusive), moved into the arena when it has room: the footer, once read, need not stay in
   * memory while hundreds of other inputs of the row group are read.
   *
   * @throws IllegalStateException if the stream does not hold the whole file
   * @throws IllegalArgumentException if the window does not hold that span
   */
  void keepOnly(long start, long end) {
    if (!whole) {
      throw new IllegalStateException("Only the window of a file read whole can be narrowed");
    }
    if (!covers(start, end) || start > end) {
      throw new IllegalArgumentException(
          "Cannot keep " + start + " to " + end + " of a window of " + windowLength + " bytes");
    }
    int length = (int) (end - start);
    int offset = arena == null ? -1 : arena.take(length);
    byte[] bytes = offset < 0 ? new byte[length] : arena.memory();
    offset = Math.max(offset, 0);
    System.arraycopy(window, windowOffset(start), bytes, offset, length);
    setWindow(bytes, offset, length, start);
    narrowed = true;
  }

  /** Whether the window holds {@code start} to {@code end} (exclusive) already. */
  boolean covers(long start, long end) {
    return window != null && start >= windowStart && end <= windowStart + windowLength;
  }

  /** The bytes the window holds. */
  long windowBytes() {
    return window == null ? 0 : windowLength;
  }

  /**
   * The array holding the file's bytes at {@code start}, if the window holds {@code length} bytes
   * from there; the bytes are at {@link #windowOffset(long)} in it. Valid until the window is
   * dropped, detached or its arena reset.
   *
   * @return the array, or null if the window does not hold those bytes
   */
  byte[] windowArray(long start, int length) {
    return covers(start, start + length) ? window : null;
  }

  /** Where the file's byte at {@code start}, which the window holds, is in its array. */
  int windowOffset(long start) {
    return windowOffset + (int) (start - windowStart);
  }

  /**
   * Moves a window held in the arena into an array of its own, so that it outlives the arena's next
   * {@link WindowArena#reset()}.
   */
  void detach() {
    if (window != null && arena != null && window == arena.memory()) {
      byte[] own = new byte[windowLength];
      System.arraycopy(window, windowOffset, own, 0, windowLength);
      setWindow(own, 0, windowLength, windowStart);
    }
  }

  /**
   * Frees the window, unless the file was closed once read whole ({@link #loadWhole(long)}); later
   * reads go to the file.
   */
  void dropWindow() {
    if (!fileClosed) {
      window = null;
    }
  }

  /**
   * Makes the window stop using the arena, so that the arena can be {@link WindowArena#reset()}:
   * drops it, or, where the file was closed and the window is all that is left of it, moves it into
   * an array of its own ({@link #detach()}).
   */
  void releaseArena() {
    if (fileClosed) {
      detach();
    } else if (window != null && arena != null && window == arena.memory()) {
      dropWindow();
    }
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void seek(long newPosition) {
    position = newPosition;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int read;
    if (window != null && position >= windowStart && position < windowStart + windowLength) {
      read = (int) Math.min(length, windowStart + windowLength - position);
      System.arraycopy(window, windowOffset(position), buffer, offset, read);
    } else if (fileClosed) {
      return -1;
    } else {
      SeekableInputStream from = file();
      from.seek(position);
      read = from.read(buffer, offset, length);
      if (read < 0) {
        return -1;
      }
    }
    position += read;
    return read;
  }

  @Override
  public void close() throws IOException {
    window = null;
    SeekableInputStream closing = file;
    file = null;
    closed = true;
    if (closing != null && !fileClosed) {
      closing.close();
    }
  }
}
