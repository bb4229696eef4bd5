package dev.baler.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OpenFileBudgetTest {
  @Test
  void ofLimit_allowsHalfTheLimitLess64AndAtLeast16() {
    assertThat(OpenFileBudget.ofLimit(4096)).isEqualTo(1984);
    assertThat(OpenFileBudget.ofLimit(1024)).isEqualTo(448);
    assertThat(OpenFileBudget.ofLimit(100)).isEqualTo(16);
    assertThat(OpenFileBudget.ofLimit(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void processLimit_isTheJvmsLimitOnOpenFiles() {
    assertThat(OpenFileBudget.processLimit()).isPositive();
    assertThat(OpenFileBudget.PROCESS.free()).isPositive();
  }

  @Test
  void tryTake_givesNoMoreRoomThanTheBudgetHasUntilItIsGivenBack() throws Exception {
    OpenFileBudget budget = new OpenFileBudget(100);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> takers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        takers.add(
            () -> {
              int taken = 0;
              for (int attempt = 0; attempt < 1000; attempt++) {
                taken += budget.tryTake() ? 1 : 0;
              }
              return taken;
            });
      }
      int taken = 0;
      for (Future<Integer> future : threads.invokeAll(takers)) {
        taken += future.get();
      }

      assertThat(taken).isEqualTo(100);
      assertThat(budget.free()).isZero();
      budget.giveBack();
      assertThat(budget.tryTake()).isTrue();
      assertThat(budget.tryTake()).isFalse();
    } finally {
      threads.shutdownNow();
    }
    assertThatThrownBy(() -> new OpenFileBudget(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
