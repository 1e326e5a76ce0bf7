namespace AverLab.Notebooks;

/// <summary>What a notebook cell sees as globals: display(...) as in Polyglot Notebooks, collecting HTML outputs.</summary>
public class NotebookGlobals
{
    public List<(int cell, string html)> Outputs { get; } = [];
    internal int CurrentCell { get; set; }

    /// <summary>Shows a value below the cell (HTML via <see cref="Html.Format"/>).</summary>
    public void display(object? value) => Outputs.Add((CurrentCell, Html.Format(value)));
}
