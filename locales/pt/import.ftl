## import

import-title = Importar uma lista de turma
import-intro = Envie uma lista de turma guardada a partir de uma folha de cálculo, no formato CSV. Primeiro verá cada linha: a conta que ela cria e os eventuais problemas. Nada é gravado antes de confirmar, e então ou tudo é importado, ou nada.
import-file = Ficheiro CSV
import-submit = Verificar o ficheiro
import-columns_title = Colunas
import-columns_intro = A primeira linha do ficheiro dá o nome às colunas, em francês ou em inglês, por qualquer ordem; maiúsculas e acentos não importam. As colunas com outros nomes (por exemplo, data de nascimento) são ignoradas.
import-th_column = Coluna
import-th_names = Nomes aceites
import-th_content = Conteúdo
import-required = obrigatória
import-optional = opcional
import-doc_last_name = O apelido.
import-doc_first_name = O nome próprio.
import-doc_class = A turma, por exemplo 6e A. Uma turma que não exista neste ano letivo é criada. Um professor pode ter várias: 6e A + 5e B. Vazia para os encarregados de educação e para a secretaria e serviços escolares.
import-doc_username = O nome de utilizador: letras minúsculas sem acentos, algarismos, pontos ou hífenes. Se ficar vazio, é formado a partir dos nomes (nome.apelido).
import-doc_role = aluno (o valor por omissão se estiver vazia), professor, encarregado de educação, secretaria ou administrador; os nomes em francês e em inglês também funcionam (élève, pupil, teacher, parent…).
import-doc_language = fr, en, pt ou ar, ou o nome da língua (Português, Français, English, العربية). Vazia: a língua da escola.
import-example_title = Exemplo
import-save_as = Separadores: ponto e vírgula, vírgula ou tabulação. Guarde em UTF-8: no Excel, Ficheiro, Guardar como, “CSV UTF-8 (delimitado por vírgulas)”; no LibreOffice, “Texto CSV” com o conjunto de caracteres “Unicode (UTF-8)”.
import-limits =
    { $max ->
        [one] No máximo { $max } linha e { $limit } KiB por ficheiro.
       *[other] No máximo { $max } linhas e { $limit } KiB por ficheiro.
    }
import-no_password = As contas importadas ainda não têm palavra-passe: imprima as fichas de acesso de cada turma para dar a cada pessoa a sua primeira palavra-passe.
import-col_last_name = apelido
import-col_first_name = nome próprio
import-col_class = turma
import-col_username = nome de utilizador
import-col_role = função
import-col_language = língua
import-error_no_file = Escolha um ficheiro CSV para enviar.
import-error_too_large = Este ficheiro é demasiado grande: { $limit } KiB no máximo. Divida a lista em vários ficheiros.
import-error_too_many_rows = Este ficheiro tem demasiadas linhas: { $max } no máximo. Divida a lista em vários ficheiros.
import-error_not_utf8 = Este ficheiro não está em UTF-8 (o problema começa na linha { $line }). Guarde-o de novo como “CSV UTF-8”: no Excel, Ficheiro, Guardar como, “CSV UTF-8 (delimitado por vírgulas)”; no LibreOffice, escolha o conjunto de caracteres “Unicode (UTF-8)”.
import-error_unreadable = Este ficheiro não pode ser lido como CSV (linha { $line }).
import-error_empty = Este ficheiro está vazio.
import-error_no_rows = Este ficheiro tem uma linha de cabeçalho, mas ninguém na lista.
import-error_missing_columns = A primeira linha tem de dar o nome às colunas. Falta: { $missing }. A primeira linha contém: { $found }. Exemplo: nom;prénom;classe
import-error_duplicate_column = A coluna “{ $column }” aparece duas vezes na primeira linha.
import-error_gone = Esta importação já não está à espera: já foi feita, ou tem mais de um dia. Envie o ficheiro novamente.
import-error_changed = Algo mudou desde a pré-visualização (outra pessoa pode ter criado algumas destas contas). Nada foi importado; estes são os problemas agora.
import-problem_field_count =
    { $found ->
        [one] Esta linha tem { $found } campo em vez de { $expected }: um separador dentro de um nome? Ponha o nome entre aspas.
       *[other] Esta linha tem { $found } campos em vez de { $expected }: um separador dentro de um nome? Ponha o nome entre aspas.
    }
import-problem_unclosed_quote = Há aspas que não foram fechadas: esta linha continua nas linhas seguintes.
import-problem_last_name_missing = Falta o apelido.
import-problem_first_name_missing = Falta o nome próprio.
import-problem_name_too_long = Um nome é demasiado longo (100 caracteres no máximo).
import-problem_bad_role = Função desconhecida “{ $value }”: escreva pupil, teacher, parent, staff ou admin.
import-problem_role_not_allowed = Não pode criar contas com a função { $role }.
import-problem_bad_language = Língua desconhecida “{ $value }”: escreva fr, en, pt ou ar.
import-problem_username_invalid = O nome de utilizador “{ $value }” não é válido: 2 a 32 letras minúsculas sem acentos, algarismos, pontos, hífenes ou sublinhados.
import-problem_username_taken = O nome de utilizador “{ $value }” já está a ser usado por uma conta existente.
import-problem_username_duplicate = O nome de utilizador “{ $value }” já é usado na linha { $line }.
import-problem_class_invalid = O nome de turma “{ $value }” não é válido (40 caracteres no máximo, sem barra).
import-problem_class_not_for_role = Só os alunos e os professores pertencem a uma turma, não uma conta com a função { $role }: deixe a turma vazia.
import-problem_already_in_class = Já existe alguém com estes nomes na turma { $class } ({ $username }). Para adicionar um homónimo, atribua-lhe um nome de utilizador.
import-problem_duplicate_person = A mesma pessoa na mesma turma já aparece na linha { $line }.
import-problem_already_exists = Já existe uma conta com estes nomes e esta função ({ $username }). Para adicionar um homónimo, atribua-lhe um nome de utilizador.
import-preview_title = Verificar a importação
import-file_name = Ficheiro
import-school_year = Ano letivo
import-th_line = Linha
import-th_last_name = Apelido
import-th_first_name = Nome próprio
import-th_username = Nome de utilizador
import-th_class = Turma
import-th_role = Função
import-th_language = Língua
import-th_problems = Problemas
import-suggested = formado a partir dos nomes
import-ignored_columns = Colunas ignoradas: { $columns }
import-summary_ok =
    { $n ->
        [one] Vai ser criada { $n } conta. Nenhuma linha tem problemas.
       *[other] Vão ser criadas { $n } contas. Nenhuma linha tem problemas.
    }
import-summary_problems =
    { $n ->
        [one] A linha do ficheiro tem um problema.
       *[other]
            { $bad ->
                [one] { $bad } das { $n } linhas tem um problema.
               *[other] { $bad } das { $n } linhas têm um problema.
            }
    } Nada pode ser importado enquanto alguma linha tiver problemas: corrija o ficheiro e envie-o novamente.
import-new_classes = Novas turmas, criadas para { $year }
import-existing_classes = Turmas já existentes
import-new_tag = nova
import-import_button =
    { $n ->
        [one] Importar { $n } conta
       *[other] Importar { $n } contas
    }
import-another_file = Enviar outro ficheiro
import-done_title = Importação concluída
import-done_summary =
    { $n ->
        [one] Foi criada { $n } conta.
       *[other] Foram criadas { $n } contas.
    }
import-done_classes = Turmas
import-done_slips = Abra cada turma para imprimir as respetivas fichas de acesso: dão a cada pessoa uma primeira palavra-passe.
import-all_classes = Todas as turmas
import-again = Importar outra lista
