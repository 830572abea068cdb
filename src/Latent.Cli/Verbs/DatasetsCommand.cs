using System.CommandLine;
using Latent.Cli.Terminal;
using Latent.Data;
using Spectre.Console;

namespace Latent.Cli.Verbs;

/// <summary>`latent datasets`: which named data sets exist, where they are looked for and whether they were found.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var dataDir = CommonOptions.DataDir();
        var json = CommonOptions.Json();
        var command = new Command("datasets", "List the known data sets, the folders searched for them and where each was found.") { dataDir, json };
        command.SetAction(parse =>
        {
            IReadOnlyList<DatasetStatus> statuses = Datasets.Describe(parse.GetValue(dataDir));
            if (parse.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    datasets = statuses.Select(s => new { name = s.Name, description = s.Description, available = s.Available, folder = s.Folder, files = s.Files, searched = s.SearchedFolders }),
                });
                return 0;
            }
            var table = new Table().AddColumns("name", "description", "found in");
            foreach (DatasetStatus s in statuses)
                table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Description), s.Available ? Markup.Escape(s.Folder!) : "[yellow]not found[/]");
            AnsiConsole.Write(table);
            Console.WriteLine("Searched, in order: " + string.Join(", ", statuses.FirstOrDefault(s => s.SearchedFolders.Count > 0)?.SearchedFolders ?? []));
            foreach (DatasetStatus s in statuses.Where(s => !s.Available))
                Console.WriteLine($"To use {s.Name}, put {string.Join(", ", s.Files)} in a folder named {s.Name} inside one of those folders.");
            return 0;
        });
        return command;
    }
}
