// Reference solver for `npm run bench:match -- --reference lemon`: LEMON's MaxWeightedMatching
// (liblemon-dev) on the matching instance Tandem's solver sees, read from a binary edge list:
// int32 vertexCount, int32 edgeCount, int32 from[edgeCount], int32 to[edgeCount], float64 weight[edgeCount]
// (non-negative integers). Prints one JSON line: the matching's weight and size, and the CPU and
// wall seconds of building the graph and of the solve. Compiled by bench/lemon-reference.ts.
#include <lemon/matching.h>
#include <lemon/smart_graph.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <vector>

static double cpuSeconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double wallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <typename T>
static bool readAll(std::FILE* in, T* into, std::size_t count) {
  return std::fread(into, sizeof(T), count, in) == count;
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s EDGE_LIST_FILE\n", argv[0]);
    return 2;
  }
  std::FILE* in = std::fopen(argv[1], "rb");
  if (!in) {
    std::perror(argv[1]);
    return 2;
  }
  std::int32_t n = 0, m = 0;
  if (!readAll(in, &n, 1) || !readAll(in, &m, 1) || n < 0 || m < 0) return 3;
  std::vector<std::int32_t> from(m), to(m);
  std::vector<double> weight(m);
  if (!readAll(in, from.data(), m) || !readAll(in, to.data(), m) || !readAll(in, weight.data(), m)) return 3;
  std::fclose(in);

  const double cpu0 = cpuSeconds(), wall0 = wallSeconds();
  lemon::SmartGraph g;
  g.reserveNode(n);
  g.reserveEdge(m);
  std::vector<lemon::SmartGraph::Node> nodes(n);
  for (std::int32_t v = 0; v < n; v++) nodes[v] = g.addNode();
  lemon::SmartGraph::EdgeMap<long long> w(g);
  for (std::int32_t k = 0; k < m; k++) w[g.addEdge(nodes[from[k]], nodes[to[k]])] = static_cast<long long>(weight[k]);
  const double cpu1 = cpuSeconds(), wall1 = wallSeconds();

  lemon::MaxWeightedMatching<lemon::SmartGraph, lemon::SmartGraph::EdgeMap<long long>> matching(g, w);
  matching.run();
  const double cpu2 = cpuSeconds(), wall2 = wallSeconds();

  std::printf("{\"weight\":%lld,\"size\":%d,\"buildCpuSeconds\":%.6f,\"solveCpuSeconds\":%.6f,\"solveWallSeconds\":%.6f,\"buildWallSeconds\":%.6f}\n",
              static_cast<long long>(matching.matchingWeight()), matching.matchingSize(), cpu1 - cpu0, cpu2 - cpu1, wall2 - wall1, wall1 - wall0);
  return 0;
}
