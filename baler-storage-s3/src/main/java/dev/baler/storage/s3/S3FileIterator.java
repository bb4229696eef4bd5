package dev.baler.storage.s3;

import dev.baler.storage.FileEntry;
import dev.baler.storage.FileIterator;
import dev.baler.storage.Location;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The keys below a prefix, one {@code ListObjectsV2} page at a time: a page is requested only when
 * the previous one is used up. Not thread-safe.
 */
final class S3FileIterator implements FileIterator {
  private final S3Client client;
  private final Location prefix;
  private final int pageSize;
  private Iterator<S3Object> page = Collections.emptyIterator();
  private String continuationToken;
  private boolean lastPageFetched;
  private FileEntry next;

  S3FileIterator(S3Client client, Location prefix, int pageSize) {
    this.client = client;
    this.prefix = prefix;
    this.pageSize = pageSize;
  }

  @Override
  public boolean hasNext() throws IOException {
    while (next == null) {
      if (page.hasNext()) {
        S3Object object = page.next();
        // "folder" markers are empty objects named like directories, not files
        if (!object.key().endsWith("/")) {
          next =
              new FileEntry(
                  S3Storage.location(prefix.authority(), object.key()),
                  object.size(),
                  object.lastModified());
        }
      } else if (lastPageFetched) {
        return false;
      } else {
        fetchPage();
      }
    }
    return true;
  }

  @Override
  public FileEntry next() throws IOException {
    if (!hasNext()) {
      throw new NoSuchElementException("No more files under " + prefix);
    }
    FileEntry entry = next;
    next = null;
    return entry;
  }

  private void fetchPage() throws IOException {
    ListObjectsV2Request request =
        ListObjectsV2Request.builder()
            .bucket(prefix.authority())
            .prefix(prefix.path())
            .maxKeys(pageSize)
            .continuationToken(continuationToken)
            .build();
    ListObjectsV2Response response;
    try {
      response = client.listObjectsV2(request);
    } catch (SdkException e) {
      throw S3Errors.translate("list", prefix, e);
    }
    page = response.contents().iterator();
    continuationToken = response.nextContinuationToken();
    lastPageFetched = !Boolean.TRUE.equals(response.isTruncated()) || continuationToken == null;
  }
}
