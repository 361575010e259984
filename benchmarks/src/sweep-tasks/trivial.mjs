// The smallest job a sweep can run: a number in, a number out. Measures the runners' per-job overhead.
export default function trivial({ i }) {
  return { twice: 2 * i };
}
