#include "target_set.h"

/* Nodes live in one array and refer to each other by index; 0 is no node. */
typedef struct Node {
  double value;
  double sum; /* of the subtree's values, copies counted */
  guint copies;
  guint count;      /* of the subtree's values, copies counted */
  guint32 child[2]; /* LEFT (smaller values), RIGHT */
  guint32 priority; /* a max-heap on priorities keeps the tree balanced on average */
} Node;

struct TargetSet {
  GArray *nodes; /* Node; index 0 unused */
  guint32 root, free_list;
  guint32 seed;
};

#define NODE(set, i) (&g_array_index((set)->nodes, Node, (i)))
enum { LEFT, RIGHT };

static guint32 next_priority(TargetSet *set)
{
  /* xorshift32: fixed, so that the tree's shape and the sums' rounding are the same on every run */
  guint32 x = set->seed;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  set->seed = x;
  return x;
}

TargetSet *target_set_new(void)
{
  TargetSet *set = g_new0(TargetSet, 1);
  set->nodes = g_array_new(FALSE, TRUE, sizeof(Node));
  g_array_set_size(set->nodes, 1);
  set->seed = 2463534242u;
  return set;
}

void target_set_free(TargetSet *set)
{
  if (set == NULL)
    return;
  g_array_free(set->nodes, TRUE);
  g_free(set);
}

guint target_set_size(const TargetSet *set)
{
  return set->root ? NODE(set, set->root)->count : 0;
}

double target_set_min(const TargetSet *set)
{
  guint32 i = set->root;
  g_assert(i != 0);
  while (NODE(set, i)->child[LEFT])
    i = NODE(set, i)->child[LEFT];
  return NODE(set, i)->value;
}

static void update(TargetSet *set, guint32 i)
{
  Node *node = NODE(set, i);
  node->count = node->copies;
  node->sum = node->value * node->copies;
  if (node->child[LEFT]) {
    node->count += NODE(set, node->child[LEFT])->count;
    node->sum += NODE(set, node->child[LEFT])->sum;
  }
  if (node->child[RIGHT]) {
    node->count += NODE(set, node->child[RIGHT])->count;
    node->sum += NODE(set, node->child[RIGHT])->sum;
  }
}

/* Lifts node i's child on `side` above it (a rotation), keeping the values in order. */
static guint32 rotate(TargetSet *set, guint32 i, int side)
{
  const guint32 c = NODE(set, i)->child[side];
  NODE(set, i)->child[side] = NODE(set, c)->child[!side];
  NODE(set, c)->child[!side] = i;
  update(set, i);
  update(set, c);
  return c;
}

static guint32 new_node(TargetSet *set, double value)
{
  guint32 i = set->free_list;
  if (i != 0)
    set->free_list = NODE(set, i)->child[LEFT];
  else {
    i = set->nodes->len;
    g_array_set_size(set->nodes, i + 1);
  }
  *NODE(set, i) = (Node){.value = value, .copies = 1, .priority = next_priority(set)};
  update(set, i);
  return i;
}

static guint32 insert(TargetSet *set, guint32 i, double value)
{
  if (i == 0)
    return new_node(set, value);
  if (value == NODE(set, i)->value)
    NODE(set, i)->copies++;
  else {
    const int side = value < NODE(set, i)->value ? LEFT : RIGHT;
    const guint32 child = insert(set, NODE(set, i)->child[side], value);
    NODE(set, i)->child[side] = child; /* the array may have moved */
    if (NODE(set, child)->priority > NODE(set, i)->priority)
      return rotate(set, i, side);
  }
  update(set, i);
  return i;
}

void target_set_add(TargetSet *set, double value)
{
  set->root = insert(set, set->root, value);
}

/* The subtree at i without its smallest node (which has no left child: its right subtree takes its place). */
static guint32 remove_min(TargetSet *set, guint32 i)
{
  Node *node = NODE(set, i);
  if (node->child[LEFT] == 0) {
    guint32 right = node->child[RIGHT];
    node->child[LEFT] = set->free_list;
    set->free_list = i;
    return right;
  }
  node->child[LEFT] = remove_min(set, node->child[LEFT]);
  update(set, i);
  return i;
}

void target_set_remove_min(TargetSet *set)
{
  g_assert(set->root != 0);
  set->root = remove_min(set, set->root);
}

void target_set_sum_below(const TargetSet *set, double below, double *sum, guint *count)
{
  double s = 0;
  guint n = 0;
  for (guint32 i = set->root; i != 0;) {
    const Node *node = NODE(set, i);
    if (node->value < below) {
      if (node->child[LEFT]) {
        s += NODE(set, node->child[LEFT])->sum;
        n += NODE(set, node->child[LEFT])->count;
      }
      s += node->value * node->copies;
      n += node->copies;
      i = node->child[RIGHT];
    } else
      i = node->child[LEFT];
  }
  *sum = s;
  *count = n;
}
