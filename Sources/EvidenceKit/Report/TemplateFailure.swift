/// A binding that failed, before the renderer adds the template, line and attribute to make a ``TemplateError``.
struct TemplateFailure: Error {
    /// What is wrong, naming the path or value at fault.
    let message: String
}
