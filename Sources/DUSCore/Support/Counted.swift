/// A number and its noun, singular or plural: `counted(1, "text")` is "1 text",
/// `counted(2, "entry", "entries")` is "2 entries".
func counted(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
}
