#include "target_set.h"

/* Nodes live in one array and refer to each other by index; 0 is no node. */
typedef struct Node {
  double value;
  double sum; /* of the subtree's values, copies counted */
  guint copies;
  guint count; /* of the subtree's values, copies counted */
  guint32 left, right;
  guint32 priority; /* a max-heap on priorities keeps the tree balanced on average */
} Node;

struct TargetSet {
  GArray *nodes; /* Node; index 0 unused */
  guint32 root, free_list;
  guint32 seed;
};

#define NODE(set, i) (&g_array_index((set)->nodes, Node, (i)))

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
  while (NODE(set, i)->left)
    i = NODE(set, i)->left;
  return NODE(set, i)->value;
}

static void update(TargetSet *set, guint32 i)
{
  Node *node = NODE(set, i);
  node->count = node->copies;
  node->sum = node->value * node->copies;
  if (node->left) {
    node->count += NODE(set, node->left)->count;
    node->sum += NODE(set, node->left)->sum;
  }
  if (node->right) {
    node->count += NODE(set, node->right)->count;
    node->sum += NODE(set, node->right)->sum;
  }
}

static guint32 rotate_right(TargetSet *set, guint32 i)
{
  guint32 l = NODE(set, i)->left;
  NODE(set, i)->left = NODE(set, l)->right;
  NODE(set, l)->right = i;
  update(set, i);
  update(set, l);
  return l;
}

static guint32 rotate_left(TargetSet *set, guint32 i)
{
  guint32 r = NODE(set, i)->right;
  NODE(set, i)->right = NODE(set, r)->left;
  NODE(set, r)->left = i;
  update(set, i);
  update(set, r);
  return r;
}

static guint32 new_node(TargetSet *set, double value)
{
  guint32 i = set->free_list;
  if (i != 0)
    set->free_list = NODE(set, i)->left;
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
  Node *node = NODE(set, i);
  if (value == node->value)
    node->copies++;
  else if (value < node->value) {
    guint32 child = insert(set, node->left, value);
    NODE(set, i)->left = child; /* the array may have moved */
    if (NODE(set, child)->priority > NODE(set, i)->priority)
      return rotate_right(set, i);
  } else {
    guint32 child = insert(set, node->right, value);
    NODE(set, i)->right = child;
    if (NODE(set, child)->priority > NODE(set, i)->priority)
      return rotate_left(set, i);
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
  if (node->left == 0) {
    guint32 right = node->right;
    node->left = set->free_list;
    set->free_list = i;
    return right;
  }
  node->left = remove_min(set, node->left);
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
      if (node->left) {
        s += NODE(set, node->left)->sum;
        n += NODE(set, node->left)->count;
      }
      s += node->value * node->copies;
      n += node->copies;
      i = node->right;
    } else
      i = node->left;
  }
  *sum = s;
  *count = n;
}
