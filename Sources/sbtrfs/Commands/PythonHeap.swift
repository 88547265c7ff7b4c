/// CPython's heapq (heapify, heappop, heapreplace and their _siftdown/_siftup) step for step, so
/// that a program ported from Python visits equal keys in the same order as the original.
struct PythonHeap<Element> {
    private(set) var items: [Element]
    private let less: (Element, Element) -> Bool

    /// heapify(items).
    init(_ items: [Element], by less: @escaping (Element, Element) -> Bool) {
        self.items = items
        self.less = less
        for index in stride(from: items.count / 2 - 1, through: 0, by: -1) { siftUp(index) }
    }

    var isEmpty: Bool { items.isEmpty }
    var count: Int { items.count }
    /// heap[0]: the smallest.
    var first: Element? { items.first }

    /// heappop.
    @discardableResult
    mutating func pop() -> Element? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let smallest = items[0]
        items[0] = last
        siftUp(0)
        return smallest
    }

    /// heapreplace: pops the smallest and pushes `item`, in one sift.
    @discardableResult
    mutating func replaceFirst(with item: Element) -> Element? {
        guard !items.isEmpty else {
            items.append(item)
            return nil
        }
        let smallest = items[0]
        items[0] = item
        siftUp(0)
        return smallest
    }

    private mutating func siftDown(_ start: Int, _ position: Int) {
        var position = position
        let newItem = items[position]
        while position > start {
            let parentPosition = (position - 1) >> 1
            let parent = items[parentPosition]
            if less(newItem, parent) {
                items[position] = parent
                position = parentPosition
                continue
            }
            break
        }
        items[position] = newItem
    }

    private mutating func siftUp(_ position: Int) {
        var position = position
        let end = items.count
        let start = position
        let newItem = items[position]
        var child = 2 * position + 1
        while child < end {
            let right = child + 1
            if right < end && !less(items[child], items[right]) { child = right }
            items[position] = items[child]
            position = child
            child = 2 * position + 1
        }
        items[position] = newItem
        siftDown(start, position)
    }
}
