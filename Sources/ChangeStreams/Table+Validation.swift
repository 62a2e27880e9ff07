/// Checks of keys and values before a write touches the table.
extension Table {
    /// The key of `item` by the table's key schema.
    func extractKey(_ item: Item) throws(ChangeStreamError) -> ItemKey {
        guard let partition = item[keySchema.partitionKey] else {
            throw .missingKeyAttribute(keySchema.partitionKey)
        }
        var sort: AttributeValue?
        if let sortName = keySchema.sortKey {
            guard let value = item[sortName] else { throw .missingKeyAttribute(sortName) }
            sort = value
        }
        let key = ItemKey(partition: partition, sort: sort)
        try validate(key)
        return key
    }

    /// Checks that a key matches the schema and holds non-empty `S`, `N` or `B` values.
    func validate(_ key: ItemKey) throws(ChangeStreamError) {
        try Self.validateKeyValue(key.storage.partition, name: keySchema.partitionKey)
        guard let name = keySchema.sortKey else {
            if key.storage.hasSort { throw .unexpectedSortKey }
            return
        }
        guard let value = key.storage.sort else { throw .missingKeyAttribute(name) }
        try Self.validateKeyValue(value, name: name)
    }

    static func validateKeyValue(_ value: AttributeValue, name: String) throws(ChangeStreamError) {
        switch value {
        case .s(let text):
            if text.isEmpty { throw .emptyKeyValue(attribute: name) }
        case .n(let text):
            if !AttributeValue.isValidNumber(text) { throw .invalidNumber(attribute: name, text: text) }
        case .b(let bytes):
            if bytes.isEmpty { throw .emptyKeyValue(attribute: name) }
        case .binarySize(let count):
            if count <= 0 { throw .emptyKeyValue(attribute: name) }
        default:
            throw .invalidKeyType(attribute: name, type: value.typeName)
        }
    }

    /// Refuses a change of a key attribute. Names compare by their bytes, as attribute names do everywhere in the
    /// table (``KeyNames``), so a differently normalised spelling is a different attribute.
    func checkNotKey(_ name: String) throws(ChangeStreamError) {
        if Item.withUTF8(name, { keyNames.contains($0) }) { throw .keyAttributeUpdate(name) }
    }

    /// `item` with numbers checked and sets normalised; copies the item only if a set needed sorting.
    /// - Throws: ``ChangeStreamError/invalidNumber(attribute:text:)``, ``ChangeStreamError/itemTooLarge(bytes:)``.
    static func checked(_ item: Item) throws(ChangeStreamError) -> Item {
        guard !item.flags.isEmpty else {
            // Scalars with valid numbers only (summarised when the item was built): nothing to look at.
            try checkSize(item)
            return item
        }
        var result = item
        let attributes = item.attributes
        // By index, so that scalar attributes are inspected in place rather than copied.
        for index in attributes.indices {
            switch attributes[index].value {
            case .s, .b, .binarySize, .bool, .null:
                continue
            case .n(let text):
                guard AttributeValue.isValidNumber(text) else {
                    throw .invalidNumber(attribute: attributes[index].name, text: text)
                }
            default:
                let attribute = attributes[index]
                let value = try checked(attribute.value, name: attribute.name)
                if value != attribute.value { result[attribute.name] = value }
            }
        }
        let size = result.sizeInBytes
        guard size <= StreamLimits.maximumItemSize else { throw .itemTooLarge(bytes: size) }
        return result
    }

    /// Refuses an item above the maximum item size (400 KB).
    @inline(__always)
    static func checkSize(_ item: Item) throws(ChangeStreamError) {
        guard item.sizeInBytes <= StreamLimits.maximumItemSize else { throw .itemTooLarge(bytes: item.sizeInBytes) }
    }

    /// `value` with numbers checked and sets normalised (recursively).
    static func checked(_ value: AttributeValue, name: String) throws(ChangeStreamError) -> AttributeValue {
        switch value {
        case .s, .b, .binarySize, .bool, .null:
            return value
        case .n(let text):
            guard AttributeValue.isValidNumber(text) else { throw .invalidNumber(attribute: name, text: text) }
            return value
        case .ns(let texts):
            for text in texts where !AttributeValue.isValidNumber(text) {
                throw .invalidNumber(attribute: name, text: text)
            }
            return Item.normalized(value)
        case .ss:
            return Item.normalized(value)
        case .l(let values):
            for element in values { _ = try checked(element, name: name) }
            return Item.normalized(value)
        case .m(let map):
            for attribute in map.attributes { _ = try checked(attribute.value, name: name + "." + attribute.name) }
            return Item.normalized(value)
        }
    }
}
